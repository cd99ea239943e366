package db

import (
	"bytes"
	"testing"
	"time"
)

// A WeChat answer may carry a NUL (a JSON \u0000 in a nickname) or bytes that are not UTF-8 (a name cut in the
// middle of a character). Neither fails the store, on either dialect: the raw answer comes back byte for byte,
// and the fields read from it are kept as they are where the dialect can (SQLite) or with U+FFFD in place of
// what PostgreSQL's text cannot hold.
func TestAnswersWithNULAndBrokenUTF8AreStored(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := t.Context()
		raw := []byte("{\"nick\":\"\\u0000阿\xe9\x98\",\"bad\":\"\xff\x00\"}")
		nick, name := "阿\x00明", "张\xe4\xb8" // a NUL; a character cut short
		want := func(sqlite, postgres string) string {
			if testDialect(t) == Postgres {
				return postgres
			}
			return sqlite
		}
		o := testOrder("4242", OrderToShip, time.Unix(1_800_000_000, 0))
		o.BuyerNick, o.ReceiverName, o.Note, o.Raw = nick, name, "备注\x00", raw
		o.Lines[0].Title = "T恤\xff"
		id, err := s.UpsertOrder(ctx, o)
		if err != nil {
			t.Fatalf("the order was not stored: %v", err)
		}
		got, err := s.Order(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Raw, raw) {
			t.Errorf("raw answer came back as %q, want %q", got.Raw, raw)
		}
		for _, c := range []struct{ field, got, want string }{
			{"buyer nick", got.BuyerNick, want(nick, "阿\uFFFD明")},
			{"receiver", got.ReceiverName, want(name, "张\uFFFD")},
			{"note", got.Note, want("备注\x00", "备注\uFFFD")},
			{"line title", got.Lines[0].Title, want("T恤\xff", "T恤\uFFFD")},
		} {
			if c.got != c.want {
				t.Errorf("%s came back as %q, want %q", c.field, c.got, c.want)
			}
		}

		a := Aftersale{ID: "as-1", OrderID: "4242", Type: "REFUND", Status: "MERCHANT_PROCESSING", BuyerPhone: "138\x00",
			UpdatedAt: time.Unix(1_800_000_000, 0), Raw: raw}
		if _, err := s.UpsertAftersale(ctx, a); err != nil {
			t.Fatalf("the after-sale was not stored: %v", err)
		}
		as, err := s.Aftersale(ctx, "as-1")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(as.Raw, raw) || as.BuyerPhone != want("138\x00", "138\uFFFD") {
			t.Errorf("after-sale came back with raw %q, phone %q", as.Raw, as.BuyerPhone)
		}
	})
}
