package app

import (
	"net/http"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// A Channels order shipped in WeChat's own backend while its page was open: WeChat answers 109001 (已经发货)
// to the form, and the page shows that with what it means, and the order as it is now, shipped, with its
// parcel and no form that WeChat would only refuse again.
func TestShipFormOfAnOrderShippedElsewhere(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	o := s.channelsOrderOfPieces(t, b, 1)
	page := b.get(orderPath(o))
	wantBody(t, page, `data-testid="ship-panel"`)

	st := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID)
	items := []wx.ChannelsDeliveryProduct{{ProductID: st.Lines[0].ProductID, SKUID: st.Lines[0].SKUID, ProductCnt: st.Lines[0].Count}}
	if err := s.app.wx.SendChannelsDelivery(t.Context(), o.OrderID, []wx.ChannelsDelivery{{DeliveryID: "ZTO", WaybillID: "73100000000077", ProductInfos: items}}); err != nil {
		t.Fatal(err)
	}

	a := b.post(orderPath(o)+"/ship", shipForm("SF", "SF7700000000001", shipTokenOf(t, page)))
	wantStatus(t, a, http.StatusUnprocessableEntity)
	problem, _ := textOf(a, "ship-problem")
	meaning, _ := wx.CodeMeaning(wx.CodeChannelsShipped, "zh")
	if problem != zh("ship.refused.state", zh("error.wx", wx.CodeChannelsShipped, meaning)) {
		t.Errorf("the problem shown is %q", problem)
	}
	if strings.Contains(a.body, `data-testid="ship-panel"`) {
		t.Error("the page still offers to ship an order WeChat says has left")
	}
	wantBody(t, a, "73100000000077")
	if m := s.mirrorOf(t, db.SourceChannels, o.OrderID); m.Status != db.OrderShipped || len(m.Parcels) != 1 {
		t.Errorf("the mirror says %s with parcels %+v", m.Status, m.Parcels)
	}
	if st := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID); len(st.Parcels) != 1 {
		t.Errorf("WeChat holds %d parcels, want the backend's one", len(st.Parcels))
	}
	if e := s.auditOfOrder(t, "order.ship", db.SourceChannels, o.OrderID); len(e) != 1 || !strings.Contains(e[0].Outcome, "109001") {
		t.Errorf("audit %+v", e)
	}
}
