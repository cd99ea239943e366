package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"wxshop/internal/app"
	"wxshop/internal/db"
)

// userCommand is `web user add|passwd`. The password comes from standard input so it stays out of the
// shell history and the process list.
func userCommand(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		return errors.New("usage: web user add --username U --role admin|operator|viewer  |  web user passwd --username U")
	}
	verb := args[0]
	fs := flag.NewFlagSet("web user "+verb, flag.ContinueOnError)
	username := fs.String("username", "", "the user's sign-in name")
	role := fs.String("role", "operator", "admin, operator or viewer (add only)")
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./data"), "where the database lives (DATA_DIR)")
	databaseURL := fs.String("database-url", os.Getenv("DATABASE_URL"), "a PostgreSQL database instead (DATABASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !app.ValidUsername(*username) {
		return errors.New("--username must be 2 to 32 letters, digits, dots, dashes or underscores")
	}
	if verb == "add" && !app.ValidRole(*role) {
		return fmt.Errorf("--role %q: use admin, operator or viewer", *role)
	}
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintf(stdout, "Password for %s (at least %d characters, shown as typed): ", *username, app.MinPasswordLength)
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if len([]rune(password)) < app.MinPasswordLength {
		return fmt.Errorf("the password on standard input must have at least %d characters", app.MinPasswordLength)
	}

	store, err := db.OpenConfig(ctx, *dataDir, *databaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	if verb == "add" {
		err = app.AddUser(ctx, store, *username, password, *role)
	} else {
		err = app.ChangePassword(ctx, store, *username, password)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: done for %s\n", verb, *username)
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
