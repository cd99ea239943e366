package app

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// The merchant's addresses (merchant/address/*): return addresses, whose id an agreed return takes, and
// ship-from addresses. The list is kept from WeChat (internal/shop/aftersale_lists.go) and read again after
// every change made here, on the page's refresh button, and once a day.

func (a *App) showReturnAddresses(c *gin.Context) {
	p := a.printer(c)
	v := templates.AddressesView{CanWrite: canWrite(Role(currentUser(c).Role))}
	list := a.aftersales.Addresses(c.Request.Context(), false)
	v.List = keptListView(p, list.FetchedAt, list.Err, "aftersale.addresses.failed")
	for _, ad := range list.Items {
		i := ad.AddressInfo
		v.Rows = append(v.Rows, templates.AddressRow{ID: string(ad.AddressID), Name: i.UserName, Phone: i.TelNumber, Address: i.OneLine(),
			Remark: ad.Remark, Recv: bool(ad.RecvAddr), DefaultRecv: bool(ad.DefaultRecv), Send: bool(ad.SendAddr), DefaultSend: bool(ad.DefaultSend)})
	}
	a.render(c, http.StatusOK, templates.AddressesPage(a.page(c, "address.title", "aftersales"), v))
}

func (a *App) showNewReturnAddress(c *gin.Context) {
	a.render(c, http.StatusOK, templates.AddressFormPage(a.page(c, "address.new", "aftersales"), templates.AddressForm{Recv: true, Errors: templates.FieldErrors{}}))
}

func (a *App) showEditReturnAddress(c *gin.Context) {
	p := a.printer(c)
	ad, err := a.aftersales.Address(c.Request.Context(), c.Param("id"))
	if err != nil {
		if errors.Is(err, shop.ErrNotFound) {
			a.renderError(c, http.StatusNotFound)
			return
		}
		a.renderErrorWith(c, http.StatusBadGateway, p.T("aftersale.unreachable"), wxMessage(p, err))
		return
	}
	i := ad.AddressInfo
	f := templates.AddressForm{ID: c.Param("id"), Name: i.UserName, Phone: i.TelNumber, Postal: i.PostalCode, Province: i.ProvinceName,
		City: i.CityName, County: i.CountyName, Detail: i.DetailInfo, House: i.HouseNumber, Landline: ad.Landline, Remark: ad.Remark,
		Recv: bool(ad.RecvAddr), DefaultRecv: bool(ad.DefaultRecv), Send: bool(ad.SendAddr), DefaultSend: bool(ad.DefaultSend),
		Errors: templates.FieldErrors{}}
	a.render(c, http.StatusOK, templates.AddressFormPage(a.page(c, "address.edit", "aftersales"), f))
}

// saveReturnAddress adds (POST /return-addresses) or replaces (POST /return-addresses/:id) an address.
func (a *App) saveReturnAddress(c *gin.Context) {
	p := a.printer(c)
	f := templates.AddressForm{ID: c.Param("id"), Errors: templates.FieldErrors{}}
	for name, dst := range map[string]*string{"name": &f.Name, "phone": &f.Phone, "postal": &f.Postal, "province": &f.Province, "city": &f.City,
		"county": &f.County, "detail": &f.Detail, "house": &f.House, "landline": &f.Landline, "remark": &f.Remark} {
		*dst = strings.TrimSpace(c.PostForm(name))
		if utf8.RuneCountInString(*dst) > 120 {
			f.Errors[name] = p.T("address.error.long")
		}
	}
	f.Recv, f.DefaultRecv = c.PostForm("recv") == "1", c.PostForm("default_recv") == "1"
	f.Send, f.DefaultSend = c.PostForm("send") == "1", c.PostForm("default_send") == "1"
	for _, name := range []string{"name", "phone", "province", "city", "county", "detail"} {
		v := map[string]string{"name": f.Name, "phone": f.Phone, "province": f.Province, "city": f.City, "county": f.County, "detail": f.Detail}[name]
		if v == "" {
			f.Errors[name] = p.T("address.error.required")
		}
	}
	if f.Phone != "" && !validPhone(f.Phone) {
		f.Errors["phone"] = p.T("address.error.phone")
	}
	switch {
	case !f.Recv && !f.Send:
		f.Errors["default"] = p.T("address.error.use")
	case f.DefaultRecv && !f.Recv || f.DefaultSend && !f.Send:
		f.Errors["default"] = p.T("address.error.default")
	}
	title := "address.new"
	if f.ID != "" {
		title = "address.edit"
	}
	if len(f.Errors) > 0 {
		a.render(c, http.StatusUnprocessableEntity, templates.AddressFormPage(a.page(c, title, "aftersales"), f))
		return
	}
	ad := wx.AddressDetail{
		AddressID: wx.ID(f.ID), Landline: f.Landline, Remark: f.Remark,
		AddressInfo: wx.AddressInfo{UserName: f.Name, TelNumber: f.Phone, PostalCode: f.Postal, ProvinceName: f.Province, CityName: f.City,
			CountyName: f.County, DetailInfo: f.Detail, HouseNumber: f.House},
		RecvAddr: wx.Flag(f.Recv), DefaultRecv: wx.Flag(f.DefaultRecv), SendAddr: wx.Flag(f.Send), DefaultSend: wx.Flag(f.DefaultSend),
	}
	journal := func(e db.AuditEntry) { a.audit(c, currentUser(c), e) }
	if _, err := a.aftersales.SaveAddress(c.Request.Context(), journal, ad); err != nil {
		f.Problem = wxMessage(p, err)
		a.render(c, http.StatusUnprocessableEntity, templates.AddressFormPage(a.page(c, title, "aftersales"), f))
		return
	}
	a.flash(c, "ok", p.T("address.saved", f.Name))
	a.redirect(c, "/return-addresses")
}

// validPhone accepts a mainland mobile number or a landline with its area code.
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == ' ' || r == '+':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

func (a *App) deleteReturnAddress(c *gin.Context) {
	p := a.printer(c)
	id := c.Param("id")
	journal := func(e db.AuditEntry) { a.audit(c, currentUser(c), e) }
	if err := a.aftersales.DeleteAddress(c.Request.Context(), journal, id, ""); err != nil {
		a.flash(c, "error", wxMessage(p, err))
	} else {
		a.flash(c, "ok", p.T("address.deleted"))
	}
	a.redirect(c, "/return-addresses")
}
