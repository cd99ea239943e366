package db

import "testing"

// The courier chosen last is each person's own, per source: only a finished, successful order.ship entry
// counts, the newest entry wins even when an older one finishes after it, and entries written before the
// table existed count too (the migration fills it).
func TestLastCourierIsTheNewestSuccessfulShipmentPerPersonAndSource(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := t.Context()
		want := func(user, source, company string) {
			t.Helper()
			got, err := s.LastCourier(ctx, user, source)
			if err != nil {
				t.Fatal(err)
			}
			if got != company {
				t.Errorf("LastCourier(%s, %s) = %q, want %q", user, source, got, company)
			}
		}
		ship := func(user, object, detail, outcome string) int64 {
			t.Helper()
			id, err := s.BeginAudit(ctx, AuditEntry{Username: user, Action: "order.ship", ObjectType: "order", ObjectID: object})
			if err != nil {
				t.Fatal(err)
			}
			if outcome != "" {
				finish(t, s, id, user, object, detail, outcome)
			}
			return id
		}
		want("ann", SourceMerchant, "")
		ship("ann", "merchant:1", "066zhongtong 7310001", AuditOK)
		want("ann", SourceMerchant, "066zhongtong")
		want("ann", SourceChannels, "")
		want("bob", SourceMerchant, "")
		ship("ann", "merchant:2", "003shunfeng SF0002", "-1 system error") // refused: does not count
		ship("ann", "merchant:3", "", "")                                  // still pending
		want("ann", SourceMerchant, "066zhongtong")
		ship("ann", "channels:4", "ZTO 7310004", AuditOK)
		want("ann", SourceChannels, "ZTO")
		want("ann", SourceMerchant, "066zhongtong")
		older := ship("ann", "merchant:5", "", "")
		ship("ann", "merchant:6", "003shunfeng SF0006", AuditOK)
		finish(t, s, older, "ann", "merchant:5", "yunda YD0005", AuditOK) // older, finished later
		want("ann", SourceMerchant, "003shunfeng")
		if err := s.AddAudit(ctx, AuditEntry{Username: "bob", Action: "order.ship", ObjectType: "order", ObjectID: "merchant:7",
			Detail: "yuantong", Outcome: AuditOK}); err != nil {
			t.Fatal(err)
		}
		want("bob", SourceMerchant, "yuantong")
		if err := s.AddAudit(ctx, AuditEntry{Username: "bob", Action: "order.close", ObjectType: "order", ObjectID: "merchant:8",
			Detail: "shentong", Outcome: AuditOK}); err != nil {
			t.Fatal(err)
		}
		want("bob", SourceMerchant, "yuantong")

		// The migration's own fill, from entries already in the log.
		if _, err := s.DB.ExecContext(ctx, `DELETE FROM courier_choices`); err != nil {
			t.Fatal(err)
		}
		fill := map[Dialect]string{
			SQLite: `INSERT INTO courier_choices (username, source, company, audit_id)
				SELECT username, substr(object_id, 1, instr(object_id, ':') - 1),
				       CASE WHEN instr(detail, ' ') > 0 THEN substr(detail, 1, instr(detail, ' ') - 1) ELSE detail END, max(id)
				  FROM audit_log WHERE action = 'order.ship' AND outcome = 'ok' AND instr(object_id, ':') > 0
				 GROUP BY username, substr(object_id, 1, instr(object_id, ':') - 1)`,
			Postgres: `INSERT INTO courier_choices (username, source, company, audit_id)
				SELECT DISTINCT ON (username, split_part(object_id, ':', 1)) username, split_part(object_id, ':', 1), split_part(detail, ' ', 1), id
				  FROM audit_log WHERE action = 'order.ship' AND outcome = 'ok' AND strpos(object_id, ':') > 0
				 ORDER BY username, split_part(object_id, ':', 1), id DESC`,
		}[testDialect(t)]
		if _, err := s.DB.ExecContext(ctx, fill); err != nil {
			t.Fatal(err)
		}
		want("ann", SourceMerchant, "003shunfeng")
		want("ann", SourceChannels, "ZTO")
		want("bob", SourceMerchant, "yuantong")
	})
}

func finish(t *testing.T, s *Store, id int64, user, object, detail, outcome string) {
	t.Helper()
	if err := s.FinishAudit(t.Context(), id, AuditEntry{Username: user, Action: "order.ship", ObjectType: "order", ObjectID: object,
		Detail: detail, Outcome: outcome}); err != nil {
		t.Fatal(err)
	}
}
