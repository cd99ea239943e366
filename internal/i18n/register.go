package i18n

import "fmt"

// register adds an area's messages to the catalog. Areas keep their messages in files of their own
// (messages_<area>.go, each calling register from an init function), so the catalog grows without every
// change touching one file. A key defined twice is a programming error and stops the program at start.
func register(area map[string]struct{ zh, en string }) {
	for k, m := range area {
		if _, dup := messages[k]; dup {
			panic(fmt.Sprintf("i18n: message %q is defined twice", k))
		}
		messages[k] = m
	}
}
