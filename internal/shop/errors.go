package shop

import (
	"errors"
	"fmt"

	"wxshop/internal/i18n"
	"wxshop/internal/wx"
)

// Explain says why a WeChat call failed in the operator's language: the code and what it means, WeChat's own
// words for a code the table does not know, or that WeChat could not be reached; for an action the shop
// refused before asking (a *Refused), its reason.
func Explain(p i18n.Printer, err error) string {
	var r *Refused
	if errors.As(err, &r) {
		return r.Reason
	}
	var we *wx.Error
	if errors.As(err, &we) {
		if _, known := wx.CodeMeaning(we.Code, string(p.Lang)); !known && we.Msg != "" {
			return p.T("error.wx.raw", we.Code, we.Msg)
		}
		return p.T("error.wx", we.Code, we.Meaning(string(p.Lang)))
	}
	return p.T("error.wx.unreachable")
}

// Outcome is how an action's result is written into the audit log.
func Outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var we *wx.Error
	if errors.As(err, &we) {
		return fmt.Sprintf("errcode %d: %s", we.Code, we.Msg)
	}
	return err.Error()
}

// ExplainCode is Explain for an answer kept as its code and message.
func ExplainCode(p i18n.Printer, code int, msg string) string {
	return Explain(p, &wx.Error{Code: code, Msg: msg})
}

// RetrySoon reports whether err is WeChat's "updated too often" (CodeUpdatedTooOften): the same request may
// go again in a moment, so a form may offer to try again.
func RetrySoon(err error) bool {
	var we *wx.Error
	return errors.As(err, &we) && we.Code == wx.CodeUpdatedTooOften
}

// StateRefused reports whether WeChat refused a shipment for the order's state rather than for what was sent:
// the order is not in a state to ship (101100), has left already (109001) or is in an after-sale (108009).
// Sending the same again changes nothing, so a file's row is skipped, not failed, and not sent again by a
// retry of the file; the order read back after the refusal shows the state. A refusal of what the parcels
// hold (109000, 109002) is a failure the operator can correct; WeChat busy with the order (100003) is one to
// send again shortly (RetrySoon).
func StateRefused(err error) bool {
	return wx.IsCode(err, wx.CodeChannelsOrderState, wx.CodeChannelsShipped, wx.CodeOrderInAftersale)
}
