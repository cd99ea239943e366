package sandbox

import (
	"slices"
	"strconv"
	"strings"

	"wxshop/internal/wx"
)

// The merchant's addresses of the 微信小店 (shared/api/store/address.md): list (ids as strings), get
// (address_id a number, flags 0/1, as the document's example answers), add, update (the whole object),
// delete. One address at most is the default return address and one the default ship-from address: marking
// another takes the mark from the first.

// errAddressNotFound: no address code is documented; the sandbox answers the after-sale block's bad parameter.
var errAddressNotFound = &apiError{wx.CodeAftersaleBadParameters, "address not exist"}

type addressStore struct {
	order  []string // ids, oldest first
	byID   map[string]*wx.AddressDetail
	nextID uint64
}

// defaultRecv is the id of the default return address, else of the first return address, else "".
func (st *addressStore) defaultRecv() string {
	first := ""
	for _, id := range st.order {
		a := st.byID[id]
		if a.DefaultRecv {
			return id
		}
		if a.RecvAddr && first == "" {
			first = id
		}
	}
	return first
}

// loadDemoAddresses gives the demo shop a warehouse (return and ship-from, both defaults) and a shop front.
func (s *Server) loadDemoAddresses() {
	now := s.now().Unix()
	for _, a := range []wx.AddressDetail{
		{AddressInfo: wx.AddressInfo{UserName: "王仓管", PostalCode: "510630", ProvinceName: "广东省", CityName: "广州市", CountyName: "天河区",
			DetailInfo: "黄埔大道西 100 号 沙箱仓 3 号门", TelNumber: "13800138000"},
			SendAddr: true, DefaultSend: true, RecvAddr: true, DefaultRecv: true, Remark: "主仓库"},
		{AddressInfo: wx.AddressInfo{UserName: "李店长", PostalCode: "200040", ProvinceName: "上海市", CityName: "上海市", CountyName: "静安区",
			DetailInfo: "南京西路 1266 号 2 楼", TelNumber: "13900139000"},
			RecvAddr: true, Remark: "门店"},
	} {
		a.CreateTime, a.UpdateTime = wx.Timestamp(now), wx.Timestamp(now)
		s.aftersales.addresses.add(a)
	}
}

func (st *addressStore) add(a wx.AddressDetail) string {
	id := strconv.FormatUint(st.nextID, 10)
	st.nextID++
	a.AddressID = wx.ID(id)
	st.byID[id] = &a
	st.order = append(st.order, id)
	st.takeDefaults(id)
	return id
}

// takeDefaults removes the default marks of the other addresses where id has them.
func (st *addressStore) takeDefaults(id string) {
	a := st.byID[id]
	for _, other := range st.order {
		if other == id {
			continue
		}
		if a.DefaultRecv {
			st.byID[other].DefaultRecv = false
		}
		if a.DefaultSend {
			st.byID[other].DefaultSend = false
		}
	}
}

type addressRequest struct {
	AddressDetail *wx.AddressDetail `json:"address_detail"`
	AddressID     wx.ID             `json:"address_id"`
	Offset        int               `json:"offset"`
	Limit         int               `json:"limit"`
}

func checkAddress(a *wx.AddressDetail) error {
	if a == nil {
		return errInvalidArgs.with("address_detail missing")
	}
	i := a.AddressInfo
	for name, v := range map[string]string{"user_name": i.UserName, "province_name": i.ProvinceName, "city_name": i.CityName,
		"county_name": i.CountyName, "detail_info": i.DetailInfo, "tel_number": i.TelNumber} {
		if strings.TrimSpace(v) == "" {
			return errInvalidArgs.with("address_info.%s missing", name)
		}
	}
	if a.DefaultRecv && !a.RecvAddr || a.DefaultSend && !a.SendAddr {
		return errInvalidArgs.with("a default address must be of its kind")
	}
	return nil
}

type addressAddAnswer struct {
	status
	AddressID string `json:"address_id"`
}

// addAddress is POST /channels/ec/merchant/address/add.
func (s *Server) addAddress(c *call) (any, error) {
	var req addressRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if err := checkAddress(req.AddressDetail); err != nil {
		return nil, err
	}
	a := *req.AddressDetail
	now := wx.Timestamp(s.now().Unix())
	a.CreateTime, a.UpdateTime = now, now
	return addressAddAnswer{status: statusOK, AddressID: s.aftersales.addresses.add(a)}, nil
}

type addressListAnswer struct {
	status
	IDs []string `json:"address_id_list"`
}

// listAddresses is POST /channels/ec/merchant/address/list {offset, limit}.
func (s *Server) listAddresses(c *call) (any, error) {
	var req addressRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.Offset < 0 || req.Limit < 1 || req.Limit > wx.AddressListMaxLimit {
		return nil, errInvalidArgs.with("offset %d, limit %d", req.Offset, req.Limit)
	}
	ids := s.aftersales.addresses.order
	start := min(req.Offset, len(ids))
	return addressListAnswer{status: statusOK, IDs: slices.Clone(ids[start:min(start+req.Limit, len(ids))])}, nil
}

// addressAnswer is address_detail as the get example writes it: the id a number, the flags 0/1.
type addressAnswer struct {
	AddressID   uint64         `json:"address_id"`
	AddressInfo wx.AddressInfo `json:"address_info"`
	Landline    string         `json:"landline"`
	Remark      string         `json:"remark"`
	SendAddr    int            `json:"send_addr"`
	DefaultSend int            `json:"default_send"`
	RecvAddr    int            `json:"recv_addr"`
	DefaultRecv int            `json:"default_recv"`
	CreateTime  int64          `json:"create_time"`
	UpdateTime  int64          `json:"update_time"`
	AddressType wx.AddressType `json:"address_type"`
}

func bit(b wx.Flag) int {
	if b {
		return 1
	}
	return 0
}

type addressGetAnswer struct {
	status
	AddressDetail addressAnswer `json:"address_detail"`
}

func (st *addressStore) lookup(id wx.ID) (*wx.AddressDetail, error) {
	a, found := st.byID[string(id)]
	if id == "" || !found {
		return nil, errAddressNotFound.with("address_id %q", string(id))
	}
	return a, nil
}

// getAddress is POST /channels/ec/merchant/address/get {address_id}.
func (s *Server) getAddress(c *call) (any, error) {
	var req addressRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	a, err := s.aftersales.addresses.lookup(req.AddressID)
	if err != nil {
		return nil, err
	}
	n, _ := strconv.ParseUint(string(a.AddressID), 10, 64)
	return addressGetAnswer{status: statusOK, AddressDetail: addressAnswer{
		AddressID: n, AddressInfo: a.AddressInfo, Landline: a.Landline, Remark: a.Remark,
		SendAddr: bit(a.SendAddr), DefaultSend: bit(a.DefaultSend), RecvAddr: bit(a.RecvAddr), DefaultRecv: bit(a.DefaultRecv),
		CreateTime: int64(a.CreateTime), UpdateTime: int64(a.UpdateTime), AddressType: a.AddressType,
	}}, nil
}

// updateAddress is POST /channels/ec/merchant/address/update: the whole address is replaced.
func (s *Server) updateAddress(c *call) (any, error) {
	var req addressRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.AddressDetail == nil {
		return nil, errInvalidArgs.with("address_detail missing")
	}
	st := &s.aftersales.addresses
	old, err := st.lookup(req.AddressDetail.AddressID)
	if err != nil {
		return nil, err
	}
	if err := checkAddress(req.AddressDetail); err != nil {
		return nil, err
	}
	a := *req.AddressDetail
	a.CreateTime, a.UpdateTime = old.CreateTime, wx.Timestamp(s.now().Unix())
	st.byID[string(a.AddressID)] = &a
	st.takeDefaults(string(a.AddressID))
	return statusOK, nil
}

// deleteAddress is POST /channels/ec/merchant/address/delete {address_id}.
func (s *Server) deleteAddress(c *call) (any, error) {
	var req addressRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	st := &s.aftersales.addresses
	if _, err := st.lookup(req.AddressID); err != nil {
		return nil, err
	}
	delete(st.byID, string(req.AddressID))
	st.order = slices.DeleteFunc(st.order, func(id string) bool { return id == string(req.AddressID) })
	return statusOK, nil
}
