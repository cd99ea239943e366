package wx

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// stockExampleSKU is the sku_info of the manual's stock examples, built from its two pairs.
var stockExampleSKU = SKUID([]SKUPair{{ID: "10000983", VID: "10000995"}, {ID: "10001007", VID: "10001010"}})

func TestAddStock(t *testing.T) {
	c := exampleClient(t, "/merchant/stock/add", "merchant_stock_add_request", "merchant_stock_add_answer")
	if err := c.AddStock(context.Background(), "pDF3iY5EYkMxs4-tF8xedyES5GQI", stockExampleSKU, 20); err != nil {
		t.Fatal(err)
	}
}

func TestReduceStock(t *testing.T) {
	c := exampleClient(t, "/merchant/stock/reduce", "merchant_stock_reduce_request", "merchant_stock_reduce_answer")
	if err := c.ReduceStock(context.Background(), "pDF3iY5EYkMxs4-tF8xedyES5GQI", stockExampleSKU, 20); err != nil {
		t.Fatal(err)
	}
}

// A product with one uniform spec is named by "", which must be sent, not left out.
func TestStockUniformSpecSendsEmptySKUInfo(t *testing.T) {
	for _, path := range []string{"/merchant/stock/add", "/merchant/stock/reduce"} {
		c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			assertSameJSON(t, path, body, []byte(`{"product_id":"p1","sku_info":"","quantity":3}`))
			io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
		})
		call := c.AddStock
		if strings.HasSuffix(path, "reduce") {
			call = c.ReduceStock
		}
		if err := call(context.Background(), "p1", "", 3); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func TestStockRefusesBadArguments(t *testing.T) {
	c := refusingClient(t)
	for _, call := range []func(context.Context, string, string, int) error{c.AddStock, c.ReduceStock} {
		for _, tc := range []struct {
			productID, skuInfo string
			quantity           int
		}{
			{"", "", 1},
			{"p1", "", 0},
			{"p1", "", -5},
			{"p1", "10000983", 1},
			{"p1", "1:2;1:3", 1},
		} {
			if err := call(context.Background(), tc.productID, tc.skuInfo, tc.quantity); err == nil {
				t.Errorf("(%q, %q, %d): want an error", tc.productID, tc.skuInfo, tc.quantity)
			}
		}
	}
}

func TestStockCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	assertWeChatErrors(t, []apiCallCase{
		{"/merchant/stock/add", func(c *Client) error { return c.AddStock(ctx, "p1", stockExampleSKU, 1) }},
		{"/merchant/stock/reduce", func(c *Client) error { return c.ReduceStock(ctx, "p1", "", 1) }},
	})
}

var skuInfoCases = []struct {
	in   string
	want []SKUPair // nil with ok: uniform spec
	ok   bool
}{
	{"", nil, true},
	{"1075741873:1079742386", []SKUPair{{"1075741873", "1079742386"}}, true},
	{"10000983:10000995;10001007:10001010", []SKUPair{{"10000983", "10000995"}, {"10001007", "10001010"}}, true},
	{"$颜色:$红色;1075741873:$XL", []SKUPair{{"$颜色", "$红色"}, {"1075741873", "$XL"}}, true},
	// Strict: spaces belong to the id, so the string survives a round trip unchanged.
	{" 1: 2", []SKUPair{{" 1", " 2"}}, true},
	{";", nil, false},           // empty pairs
	{"1:2;", nil, false},        // trailing separator leaves an empty pair
	{";1:2", nil, false},        // leading one too
	{"1:2;;3:4", nil, false},    // empty pair in the middle
	{"10000983", nil, false},    // missing colon
	{"1:2;34", nil, false},      // missing colon in the second pair
	{":2", nil, false},          // no attribute id
	{"1:", nil, false},          // no value id
	{":", nil, false},           // neither
	{"1:2:3", nil, false},       // two colons
	{"1:2;1:3", nil, false},     // duplicate attribute id
	{"1:2;3:4;1:2", nil, false}, // duplicate, even with the same value
	{"1:2,3:4", nil, false},     // "," is no separator, so this is one pair with two colons
}

func TestParseSKUInfo(t *testing.T) {
	for _, tc := range skuInfoCases {
		got, err := ParseSKUInfo(tc.in)
		if !tc.ok {
			if err == nil || !errors.Is(err, ErrInvalidSKUInfo) || got != nil {
				t.Errorf("ParseSKUInfo(%q) = %q, %v; want an ErrInvalidSKUInfo", tc.in, got, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseSKUInfo(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if s := SKUID(got); s != tc.in {
			t.Errorf("SKUID(ParseSKUInfo(%q)) = %q", tc.in, s)
		}
	}
}

func TestSKUID(t *testing.T) {
	for _, tc := range []struct {
		pairs []SKUPair
		want  string
	}{
		{nil, ""},
		{[]SKUPair{}, ""},
		{[]SKUPair{{"1075741873", "1079742386"}}, "1075741873:1079742386"},
		{[]SKUPair{{"10000983", "10000995"}, {"10001007", "10001010"}}, "10000983:10000995;10001007:10001010"},
	} {
		if got := SKUID(tc.pairs); got != tc.want {
			t.Errorf("SKUID(%q) = %q, want %q", tc.pairs, got, tc.want)
		}
	}
}

// validSKUPairs is the rule ParseSKUInfo enforces, restated independently for the fuzz test.
func validSKUPairs(pairs []SKUPair) bool {
	seen := map[ID]bool{}
	for _, p := range pairs {
		if p.ID == "" || p.VID == "" || strings.ContainsAny(string(p.ID)+string(p.VID), ":;") || seen[p.ID] {
			return false
		}
		seen[p.ID] = true
	}
	return true
}

// FuzzSKUIDRoundTrip: formatting pairs and parsing the result gives the same pairs back exactly when the
// pairs are valid; invalid pairs never come back unchanged, whatever they parse into.
func FuzzSKUIDRoundTrip(f *testing.F) {
	f.Add(uint8(0), "", "", "", "")
	f.Add(uint8(1), "1075741873", "1079742386", "", "")
	f.Add(uint8(2), "10000983", "10000995", "10001007", "10001010")
	f.Add(uint8(2), "$颜色", "$红色", "$尺码", "$XL")
	f.Add(uint8(2), "1", "2", "1", "3")
	f.Add(uint8(1), "1:2", "3", "", "")
	f.Add(uint8(1), "1", "2;3:4", "", "")
	f.Add(uint8(2), "", "2", "3", "")
	f.Fuzz(func(t *testing.T, n uint8, id1, vid1, id2, vid2 string) {
		all := []SKUPair{{ID(id1), ID(vid1)}, {ID(id2), ID(vid2)}}
		pairs := all[:int(n)%3]
		got, err := ParseSKUInfo(SKUID(pairs))
		same := err == nil && len(got) == len(pairs) && (len(got) == 0 || reflect.DeepEqual(got, pairs))
		if same != validSKUPairs(pairs) {
			t.Errorf("pairs %q (valid %v): ParseSKUInfo(%q) = %q, %v", pairs, validSKUPairs(pairs), SKUID(pairs), got, err)
		}
	})
}

// FuzzParseSKUInfo: any string either fails with ErrInvalidSKUInfo or parses into valid pairs that format
// back to the very same string.
func FuzzParseSKUInfo(f *testing.F) {
	for _, tc := range skuInfoCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pairs, err := ParseSKUInfo(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidSKUInfo) || pairs != nil {
				t.Fatalf("ParseSKUInfo(%q) = %q, %v", s, pairs, err)
			}
			return
		}
		if !validSKUPairs(pairs) {
			t.Fatalf("ParseSKUInfo(%q) = invalid pairs %q", s, pairs)
		}
		if back := SKUID(pairs); back != s {
			t.Fatalf("SKUID(ParseSKUInfo(%q)) = %q", s, back)
		}
	})
}
