package sandbox

import (
	"bufio"
	"encoding/json"
	"net/http"
)

// ExportedOrder is one line of GET /sandbox/orders/export: an order as the API call that reads it answers it
// (the "order" object of order/get, or an item of getbyfilter's order_list), with what names it. Not WeChat:
// the benchmark's seeding path (web seed) writes a large shop's orders from it without a call per order.
type ExportedOrder struct {
	Source    string `json:"source"`
	ShopAppID string `json:"shop_appid,omitempty"`
	OrderID   string `json:"order_id"`
	// PushedAt is when the order's first event was sent (its creation), for a source whose answer has no
	// times of its own (partner-store orders): what an app receiving the events as they came would have seen.
	PushedAt int64           `json:"pushed_at,omitempty"`
	Order    json.RawMessage `json:"order"`
}

// serveOrderExport streams every order of the shop, oldest first, one JSON object a line, each in the wire
// form of its source's own read call.
func (s *Server) serveOrderExport(w http.ResponseWriter, r *http.Request) {
	base := requestBase(r)
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	out := bufio.NewWriterSize(w, 256<<10)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.orders
	for i := range st.list {
		o := &st.list[i]
		line := ExportedOrder{Source: o.src.String(), OrderID: o.idString()}
		var wire any
		switch o.src {
		case srcMerchant:
			wire = st.merchantOrder(o, base)
		case srcChannels:
			wire = channelsOrderWire{ShopOrder: st.shopOrder(o, base)}
		case srcShop:
			wire = toShopWire(st.shopOrder(o, base))
		case srcPartner:
			line.ShopAppID, line.PushedAt = partnerShops[o.shop], o.created
			wire = st.partnerOrder(o, base)
		}
		raw, err := marshalWire(wire)
		if err != nil {
			s.log.Error("sandbox: unable to encode an order", "order", line.OrderID, "error", err)
			return
		}
		line.Order = raw
		if err := enc.Encode(line); err != nil {
			return // the reader went away
		}
	}
}

// marshalWire encodes v as writeJSON does (no \u escapes for <, >, &), without the newline.
func marshalWire(v any) ([]byte, error) {
	var buf jsonBuffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf[:len(buf)-1], nil
}

type jsonBuffer []byte

func (b *jsonBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
