package shop

import (
	"context"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Which catalog API the account has. A 微信小店 (WeChat Store) keeps its catalog under /channels/ec/*; a shop of
// the V1.13 merchant API under /merchant/*, which WeChat has retired. The shop finds out by asking (a 微信小店
// answers basics/info/get and product/list/get; the other kind answers those with 48001, and its V1.13 calls
// work), keeps the answer, and an admin may set the kind explicitly.

// The catalog kinds, and the admin's choice of letting the shop find out.
const (
	KindStore    = "store"
	KindMerchant = "merchant"
	KindAuto     = "auto"

	settingKindDetected = "catalog_kind_detected" // store, merchant, or "" when neither answered
	settingKindChosen   = "catalog_kind_chosen"   // auto (or absent), store, merchant: the admin's choice
)

// CatalogUnavailable reports whether err is WeChat saying the account has no such API (48001 api
// unauthorized, 40066 no such interface, 48004 banned, the "interface retired" seen from V1.13 calls).
func CatalogUnavailable(err error) bool { return wx.IsCode(err, UnavailableCodes...) }

func isKind(k string) bool { return k == KindStore || k == KindMerchant }

// CatalogKind is the kind the pages follow: the admin's choice, else what was detected, else merchant (the
// pages the app had before it knew of the 微信小店).
func (s *Shop) CatalogKind(ctx context.Context) string {
	if chosen, _ := s.store.Setting(ctx, settingKindChosen); isKind(chosen) {
		return chosen
	}
	if detected, _ := s.store.Setting(ctx, settingKindDetected); isKind(detected) {
		return detected
	}
	return KindMerchant
}

// KindSource says where CatalogKind came from, as a catalog key.
func (s *Shop) KindSource(ctx context.Context) string {
	if chosen, _ := s.store.Setting(ctx, settingKindChosen); isKind(chosen) {
		return "kind.source.chosen"
	}
	if detected, _ := s.store.Setting(ctx, settingKindDetected); detected != "" {
		return "kind.source.detected"
	}
	return "kind.source.unknown"
}

// NoAftersaleAPI reports whether the account is known to have no after-sale API: after-sales belong to the
// Channels (微信小店) orders, so an account whose Channels order calls answered "unavailable" has nothing to
// sync. This is not the catalog's kind: an account with the V1.13 catalog may still have Channels orders, and
// a 微信小店 whose orders were never synced yet keeps its after-sales in sync.
func (s *Shop) NoAftersaleAPI(ctx context.Context) bool {
	st, err := s.store.OrderSourceState(ctx, db.SourceChannels)
	return err == nil && st.Unavailable
}

// KindChoice is the admin's choice: auto, store or merchant.
func (s *Shop) KindChoice(ctx context.Context) string {
	if chosen, _ := s.store.Setting(ctx, settingKindChosen); isKind(chosen) {
		return chosen
	}
	return KindAuto
}

// DetectCatalogKind asks WeChat which catalog the account has and remembers the answer ("" when neither
// answers). A failure that says nothing about the account (network, -1) leaves what was known.
func (s *Shop) DetectCatalogKind(ctx context.Context) (string, error) {
	kind, err := s.probeCatalogKind(ctx)
	if err != nil {
		return "", err
	}
	if err := s.store.SetSetting(ctx, settingKindDetected, kind); err != nil {
		return "", storeErr(err)
	}
	return kind, nil
}

func (s *Shop) probeCatalogKind(ctx context.Context) (string, error) {
	_, infoErr := s.wx.ShopInfo(ctx)
	switch {
	case infoErr == nil:
		// A 微信小店 shop; its catalog calls need the product permission set too.
		_, err := s.wx.StoreProductIDs(ctx, 0, 1, "")
		if err == nil {
			return KindStore, nil
		}
		if !CatalogUnavailable(err) {
			return "", err
		}
	case !CatalogUnavailable(infoErr):
		return "", infoErr
	}
	_, err := s.wx.ProductsByStatus(ctx, 0)
	switch {
	case err == nil:
		return KindMerchant, nil
	case CatalogUnavailable(err):
		return "", nil // neither catalog answers
	}
	return "", err
}

// SetCatalogKind is the admin's choice of kind (KindAuto, KindStore, KindMerchant), audited; auto detects
// again at once, and its error is the detection's.
func (s *Shop) SetCatalogKind(ctx context.Context, j Journal, choice string) error {
	if err := s.store.SetSetting(ctx, settingKindChosen, choice); err != nil {
		return storeErr(err)
	}
	entry := db.AuditEntry{Action: "settings.kind", ObjectType: "settings", ObjectID: "catalog_kind", Detail: "kind " + choice, Outcome: "ok"}
	var err error
	if choice == KindAuto {
		_, err = s.DetectCatalogKind(ctx)
		entry.Outcome = Outcome(err)
	}
	j(entry)
	return err
}
