package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/shop"
)

// seedCommand is `web seed --from http://sandbox`: the benchmark's way to a shop of a million orders. It
// writes every order of a sandbox shop into the database (DATA_DIR or DATABASE_URL) as a first sync and the
// events of the sources without a list would have, from the sandbox's export of the orders as their read
// calls answer them, many orders a transaction, without a call per order. For the benchmark only: it talks
// to a sandbox, never to WeChat.
func seedCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("web seed", flag.ContinueOnError)
	from := fs.String("from", os.Getenv("WX_API_BASE"), "the sandbox's address (WX_API_BASE)")
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./data"), "where the database lives (DATA_DIR)")
	databaseURL := fs.String("database-url", os.Getenv("DATABASE_URL"), "a PostgreSQL database instead (DATABASE_URL)")
	batch := fs.Int("batch", 10000, "orders per transaction")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *batch < 1 {
		return errors.New("usage: web seed --from http://127.0.0.1:PORT (a sandbox) [--data-dir DIR] [--batch N]")
	}
	store, err := db.OpenConfig(ctx, *dataDir, *databaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.PrepareBulkLoad(ctx); err != nil {
		return err
	}
	var orders int
	if store.DB.QueryRowContext(ctx, `SELECT count(*) FROM orders`).Scan(&orders); orders > 0 {
		return fmt.Errorf("seed: the database already holds %d orders", orders)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(*from, "/")+"/sandbox/orders/export", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("seed: %s answered %s: not a sandbox?", req.URL, resp.Status)
	}
	t0 := time.Now()
	n, err := shop.SeedOrders(ctx, store, resp.Body, *batch)
	if err != nil {
		return err
	}
	took := time.Since(t0)
	fmt.Fprintf(stdout, "seed: %d orders written in %.1f s (%.0f orders/s)\n", n, took.Seconds(), float64(n)/took.Seconds())
	return nil
}
