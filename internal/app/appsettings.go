package app

import (
	"context"
	"strconv"
)

// settingInt reads an integer setting, or def when it is unset or unreadable.
func (a *App) settingInt(ctx context.Context, key string, def int64) int64 {
	v, err := a.store.Setting(ctx, key)
	if err != nil {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return def
	}
	return n
}
