package i18n

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// verbPattern matches one fmt verb, with its flags, explicit index, width and precision.
var verbPattern = regexp.MustCompile(`%[-+# 0]*(?:\[\d+\])?(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[a-zA-Z%]`)

// verbs lists the fmt verbs of s in order, %% left out.
func verbs(s string) []string {
	var out []string
	for _, v := range verbPattern.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

func TestCatalogEntriesAreComplete(t *testing.T) {
	if len(messages) == 0 {
		t.Fatal("the catalog is empty")
	}
	for key, m := range messages {
		if strings.TrimSpace(m.zh) == "" {
			t.Errorf("%s: no Chinese text", key)
		}
		if strings.TrimSpace(m.en) == "" {
			t.Errorf("%s: no English text", key)
		}
		if zh, en := verbs(m.zh), verbs(m.en); !slices.Equal(zh, en) {
			t.Errorf("%s: verbs differ: Chinese %q has %v, English %q has %v", key, m.zh, zh, m.en, en)
		}
		// A lone % that is not a verb would print %!(NOVERB) or eat the next character.
		for _, s := range []string{m.zh, m.en} {
			if n := strings.Count(s, "%"); n != len(verbs(s))+2*strings.Count(s, "%%") {
				t.Errorf("%s: %q has a %% that is not a verb (write %%%% for a percent sign)", key, s)
			}
		}
		if strings.TrimSpace(key) != key || key == "" {
			t.Errorf("key %q has surrounding spaces", key)
		}
	}
}

func TestVerbs(t *testing.T) {
	for s, want := range map[string][]string{
		"第 %d / %d 页，共 %d 条": {"%d", "%d", "%d"},
		"100%% done: %s":     {"%s"},
		"%[2]s %-5.2f %q %v": {"%[2]s", "%-5.2f", "%q", "%v"},
		"no verbs":           nil,
	} {
		if got := verbs(s); !slices.Equal(got, want) {
			t.Errorf("verbs(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{
		"en":    English,
		"zh":    Chinese,
		"":      Chinese,
		"EN":    Chinese,
		"en-US": Chinese,
		"fr":    Chinese,
		" en":   Chinese,
	} {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestT(t *testing.T) {
	zh, en := Printer{Lang: Chinese}, Printer{Lang: English}
	if got := en.T("nav.orders"); got != "Orders" {
		t.Errorf("English nav.orders = %q", got)
	}
	if got := zh.T("nav.orders"); got != "订单" {
		t.Errorf("Chinese nav.orders = %q", got)
	}
	if got := (Printer{}).T("nav.orders"); got != "订单" {
		t.Errorf("zero Printer nav.orders = %q, want Chinese", got)
	}
	if got := en.T("pager.position", 2, 5, 123); got != "Page 2 of 5, 123 in all" {
		t.Errorf("English pager.position = %q", got)
	}
	if got := zh.T("pager.position", 2, 5, 123); got != "第 2 / 5 页，共 123 条" {
		t.Errorf("Chinese pager.position = %q", got)
	}
	if got := en.T("users.added", "bob"); got != "User bob added." {
		t.Errorf("English users.added = %q", got)
	}
	// An unknown key comes back as itself, with or without arguments.
	for _, p := range []Printer{zh, en} {
		if got := p.T("no.such.key"); got != "no.such.key" {
			t.Errorf("%s: unknown key = %q, want the key", p.Lang, got)
		}
		if got := p.T("no.such.key", 1, "x"); got != "no.such.key" {
			t.Errorf("%s: unknown key with args = %q, want the key", p.Lang, got)
		}
	}
	// A message without verbs is returned as is, even with a percent sign in an argument-less call.
	if got := en.T("common.save"); got != "Save" {
		t.Errorf("English common.save = %q", got)
	}
	if !Has("nav.orders") || Has("no.such.key") {
		t.Error("Has does not agree with the catalog")
	}
}

func TestContext(t *testing.T) {
	ctx := context.Background()
	if got := FromContext(ctx).Lang; got != Chinese {
		t.Errorf("FromContext of a bare context = %q, want Chinese", got)
	}
	if got := T(ctx, "nav.orders"); got != "订单" {
		t.Errorf("T on a bare context = %q, want Chinese", got)
	}
	ctx = WithPrinter(ctx, Printer{Lang: English})
	if got := T(ctx, "login.throttled", 3); got != "Too many failed sign-ins. Try again in 3 minutes." {
		t.Errorf("T on an English context = %q", got)
	}
	if got := T(ctx, "missing.key"); got != "missing.key" {
		t.Errorf("T with an unknown key = %q", got)
	}
}

// repoRoot walks up from the package directory to the go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package directory")
		}
		dir = parent
	}
}

// use is a catalog key the code asks for, or a prefix it completes at run time.
type use struct {
	key    string
	prefix bool
	where  string
	// values completes a prefix when the code ranges over a literal list right there:
	// for _, add := range []string{"add_text", "add_img"} { ... "form.detail." + add ... }
	values string // joined with "|", so that a use stays comparable
}

// templCallPattern finds i18n.T(ctx, "literal" in templ files, and the identifier it is joined with by a +.
var templCallPattern = regexp.MustCompile(`i18n\.T\(\s*ctx\s*,\s*("(?:[^"\\]|\\.)*")\s*(\+\s*([A-Za-z_][\w.]*))?`)

// templRangePattern finds `for _, x := range []string{...}` in templ files.
var templRangePattern = regexp.MustCompile(`for _, ([A-Za-z_]\w*) := range \[\]string\{([^}]*)\}`)

func quotedStrings(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	for _, q := range regexp.MustCompile(`"(?:[^"\\]|\\.)*"`).FindAllString(s, -1) {
		v, err := strconv.Unquote(q)
		if err != nil {
			t.Fatalf("unquote %s: %v", q, err)
		}
		out = append(out, v)
	}
	return out
}

func templUses(t *testing.T, root string) []use {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "web", "templates", "*.templ"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templ files found under %s (err %v)", root, err)
	}
	var uses []use
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ranges := map[string][]string{}
		for _, m := range templRangePattern.FindAllStringSubmatch(string(b), -1) {
			ranges[m[1]] = quotedStrings(t, m[2])
		}
		for _, m := range templCallPattern.FindAllStringSubmatch(string(b), -1) {
			key, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatalf("%s: %s: %v", f, m[1], err)
			}
			u := use{key: key, prefix: m[2] != "", where: filepath.Base(f)}
			if u.prefix {
				u.values = strings.Join(ranges[m[3]], "|")
			}
			uses = append(uses, u)
		}
	}
	return uses
}

// goSources parses the hand-written Go files of dir: no tests, no generated templ code.
func goSources(t *testing.T, dir string) map[string]*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no Go files in %s (err %v)", dir, err)
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, "_templ.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = f
	}
	return files
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// stringList returns the elements of []string{"a", "b"}.
func stringList(e ast.Expr) ([]string, bool) {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	var out []string
	for _, el := range cl.Elts {
		s, ok := stringLit(el)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// goUses finds the catalog keys Go code asks for: i18n.T(ctx, "k"...), x.T("k"...), i18n.Has("k"), and those
// keys built as "prefix." + something. A concatenation that is a struct field's value (Action: "stock." + op)
// is data, not a catalog key, and is left to fieldLiterals.
func goUses(t *testing.T, dir string) []use {
	t.Helper()
	var uses []use
	for name, f := range goSources(t, dir) {
		fieldValues := map[ast.Expr]bool{}
		ranges := map[string][]string{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				fieldValues[n.Value] = true
			case *ast.RangeStmt:
				if id, ok := n.Value.(*ast.Ident); ok {
					if list, ok := stringList(n.X); ok {
						ranges[id.Name] = list
					}
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				arg := -1
				pkg, _ := sel.X.(*ast.Ident)
				switch {
				case pkg != nil && pkg.Name == "i18n" && sel.Sel.Name == "T":
					arg = 1
				case pkg != nil && pkg.Name == "i18n" && sel.Sel.Name == "Has":
					arg = 0
				case sel.Sel.Name == "T":
					arg = 0
				}
				if arg < 0 || len(n.Args) <= arg {
					return true
				}
				if key, ok := stringLit(n.Args[arg]); ok {
					uses = append(uses, use{key: key, where: name})
				}
			case *ast.BinaryExpr:
				// "nav." + area, key := "action." + e.Action: a key completed at run time.
				if n.Op != token.ADD || fieldValues[n] {
					return true
				}
				if s, ok := stringLit(n.X); ok && catalogPrefix(s) {
					u := use{key: s, prefix: true, where: name}
					if id, ok := n.Y.(*ast.Ident); ok {
						u.values = strings.Join(ranges[id.Name], "|")
					}
					uses = append(uses, u)
				}
			}
			return true
		})
	}
	return uses
}

// catalogPrefix reports whether s looks like the start of a catalog key ("nav.") and names one of its groups.
func catalogPrefix(s string) bool {
	if !regexp.MustCompile(`^[a-z]+(\.[a-z_]+)*\.$`).MatchString(s) {
		return false
	}
	for key := range messages {
		if strings.HasPrefix(key, s) {
			return true
		}
	}
	return false
}

// navKeys reads the Key fields of templates.Nav from its source: i18n cannot import templates (templates
// imports i18n), and reading the source keeps the test in step with the navigation.
func navKeys(t *testing.T, root string) []string {
	t.Helper()
	var keys []string
	for _, f := range goSources(t, filepath.Join(root, "web", "templates")) {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if name.Name != "Nav" || i >= len(vs.Values) {
						continue
					}
					ast.Inspect(vs.Values[i], func(n ast.Node) bool {
						if kv, ok := n.(*ast.KeyValueExpr); ok {
							if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Key" {
								if s, ok := stringLit(kv.Value); ok {
									keys = append(keys, s)
								}
							}
						}
						return true
					})
				}
			}
		}
	}
	if len(keys) == 0 {
		t.Fatal("templates.Nav not found, or it has no keys")
	}
	return keys
}

// templRoles reads `var Roles = []string{...}` from the templ files, where the forms' role list lives.
func templRoles(t *testing.T, root string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "web", "templates", "*.templ"))
	decl := regexp.MustCompile(`var Roles = \[\]string\{([^}]*)\}`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := decl.FindSubmatch(b); m != nil {
			var roles []string
			for _, q := range regexp.MustCompile(`"[^"]*"`).FindAll(m[1], -1) {
				s, _ := strconv.Unquote(string(q))
				roles = append(roles, s)
			}
			return roles
		}
	}
	return nil
}

// fieldLiterals reads the values of field in dir's Go code, e.g. the Action and ObjectType of the audit entries
// the app writes: the string literals, and the literal prefixes of values built as "stock." + op.
func fieldLiterals(t *testing.T, dir, field string) (values, prefixes []string) {
	t.Helper()
	for _, f := range goSources(t, dir) {
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if id, ok := kv.Key.(*ast.Ident); !ok || id.Name != field {
				return true
			}
			if s, ok := stringLit(kv.Value); ok && !slices.Contains(values, s) {
				values = append(values, s)
			}
			if b, ok := kv.Value.(*ast.BinaryExpr); ok && b.Op == token.ADD {
				if s, ok := stringLit(b.X); ok && !slices.Contains(prefixes, s) {
					prefixes = append(prefixes, s)
				}
			}
			return true
		})
	}
	return values, prefixes
}

func TestEveryKeyUsedExists(t *testing.T) {
	root := repoRoot(t)
	appDir := filepath.Join(root, "internal", "app")
	uses := templUses(t, root)
	uses = append(uses, goUses(t, appDir)...)
	uses = append(uses, goUses(t, filepath.Join(root, "web", "templates"))...) // helpers.go
	shopDir := filepath.Join(root, "internal", "shop")                         // the actions and the forms' checks speak too
	uses = append(uses, goUses(t, shopDir)...)

	nav := navKeys(t, root)
	roles := []string{"admin", "operator", "viewer"}
	for _, r := range templRoles(t, root) {
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	actions, actionPrefixes := fieldLiterals(t, appDir, "Action")
	objects, _ := fieldLiterals(t, appDir, "ObjectType")
	// The shop writes most audit entries now; their actions and objects need their names too.
	shopActions, shopPrefixes := fieldLiterals(t, shopDir, "Action")
	shopObjects, _ := fieldLiterals(t, shopDir, "ObjectType")
	for _, a := range shopActions {
		if !slices.Contains(actions, a) {
			actions = append(actions, a)
		}
	}
	for _, o := range shopObjects {
		if !slices.Contains(objects, o) {
			objects = append(objects, o)
		}
	}
	actionPrefixes = append(actionPrefixes, shopPrefixes...)
	if len(actions) == 0 || len(objects) == 0 {
		t.Fatalf("audit actions %v, object types %v found in internal/app: the scan is probably broken", actions, objects)
	}
	// An action built at run time ("stock." + op) must at least have its family in the catalog.
	for _, p := range actionPrefixes {
		found := false
		for key := range messages {
			found = found || strings.HasPrefix(key, "action."+p)
		}
		if !found {
			t.Errorf("audit actions are built as %q + something, but the catalog has no \"action.%s...\" entry", p, p)
		}
	}
	// The dashboard cards and the pending pages describe every area but the dashboard itself.
	areas := slices.DeleteFunc(slices.Clone(nav), func(k string) bool { return k == "dashboard" })
	stockOps := []string{"add", "reduce"}
	// What each run-time prefix is completed with.
	expansions := map[string][]string{
		"nav.":    nav,
		"area.":   areas,
		"role.":   roles,
		"action.": actions,
		"object.": objects,
		// WeChat's delivery company ids: an open set, shown by name when the catalog knows it (guarded by Has).
		"courier.": nil,
		// The stock form's operations (internal/app/stock.go: op is "add" or "reduce").
		"stock.saved.":  stockOps,
		"action.stock.": stockOps,
		// Order sources and normalised statuses (internal/db/orders.go).
		"source.": {"merchant", "shop", "channels", "partner"},
		"status.": {"topay", "toship", "partial", "shipped", "done", "aftersale", "cancelled", "unknown"},
		// The fate of a bulk-shipping row (internal/db/shipping.go).
		"bulk.state.": {"valid", "invalid", "shipped", "failed", "skipped"},
		// The state of a bulk-shipping file (internal/db/shipping.go).
		"bulk.file.state.": {"preview", "running", "done"},
		// After-sales (internal/wx/aftersale.go, internal/db/aftersales.go, internal/shop/aftersale_actions.go,
		// the sandbox buyer's moves, merchantupdateaftersale's reason rows) and the address form's fields.
		"aftersale.tab.":  {"pending", "wait_return", "to_receive", "reship", "refund_failed", "ongoing", "done", "closed"},
		"aftersale.type.": {"REFUND", "RETURN", "EXCHANGE"},
		"aftersale.status.": {"MERCHANT_PROCESSING", "USER_WAIT_RETURN", "MERCHANT_WAIT_RECEIPT", "USER_WAIT_CONFIRM",
			"USER_WAIT_CONFIRM_UPDATE", "USER_WAIT_HANDLE_MERCHANT_AFTER_SALE", "WAIT_PACKAGE_INTERCEPT", "USER_WAIT_RECEIPT",
			"PLATFORM_REFUNDING", "PLATFORM_REFUND_FAIL", "MERCHANT_REJECT_REFUND", "MERCHANT_REJECT_RETURN", "MERCHANT_REJECT_EXCHANGE",
			"MERCHANT_REJECT_RESHIP", "MERCHANT_REFUND_SUCCESS", "MERCHANT_RETURN_SUCCESS", "MERCHANT_EXCHANGE_SUCCESS", "USER_CANCELD",
			"RETURN_CLOSED", "MERCHANT_OVERDUE_REFUND", "MERCHANT_REFUND_RETRY_FAIL", "MERCHANT_FAIL"},
		"aftersale.reason.": {"INCORRECT_SELECTION", "NO_LONGER_WANT", "NO_EXPRESS_INFO", "EMPTY_PACKAGE", "REJECT_RECEIVE_PACKAGE",
			"NOT_DELIVERED_TOO_LONG", "NOT_MATCH_PRODUCT_DESC", "QUALITY_ISSUE", "SEND_WRONG_GOODS", "THREE_NO_PRODUCT", "FAKE_PRODUCT",
			"NO_REASON_7_DAYS", "INITIATE_BY_PLATFORM", "OTHERS"},
		"aftersale.action.": {"refund", "accept_return", "accept_exchange", "receive_refund", "reject", "negotiate", "reship",
			"reject_reship", "certificate", "complaint_message", "complaint_evidence"},
		"complaint.status.": {"100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "112", "113", "114",
			"115", "116", "305", "307"},
		"complaint.item.":             {"1", "3", "4"},
		"aftersale.sandbox.":          {"ship_return", "accept_update", "refuse_update", "receive_exchange", "deadline", "cancel"},
		"aftersale.negotiate.reason.": {"6", "7", "8", "9", "10", "11"},
		"aftersale.gen.reason.":       {"10000014", "10000002", "10000000", "10000001", "10000006", "10000021", "10000007", "10000015", "10000017", "10000008"},
		"address.field.":              {"name", "phone", "province", "city", "county", "detail", "house", "postal", "landline", "remark"},
		// The kinds of shop (internal/app/catalog_kind.go) and the areas a 微信小店 names its own way
		// (web/templates/views.go).
		"kind.":      {"store", "merchant"},
		"nav.store.": {"products", "categories", "stock", "postage", "images", "shopcats", "window"},
		// A 微信小店 product's online and draft states, list tabs and actions (internal/app/store_products.go).
		"store.status.": {"0", "5", "6", "9", "11", "12", "13", "14", "15", "20"},
		"store.edit.":   {"0", "1", "2", "3", "4", "5", "7", "8"},
		"store.tab.":    {"all", "onsale", "delisted", "inaudit", "rejected", "draft", "soldout", "violation"},
		"store.action.": {"edit", "listing", "delisting", "cancel", "delete"},
		"store.done.":   {"listing", "delisting", "cancel", "delete"},
		"store.bulk.":   {"listing", "delisting"},
		// A product's delivery method and the buyer's accounts it asks for (deliver_method, deliver_acct_type).
		"store.deliver.": {"0", "1", "3"},
		"store.acct.":    {"1", "2", "3", "4"},

		// How a Channels order was paid (pay_info.payment_method); other codes: payment.method.other.
		"payment.method.": {"1", "2", "3", "4"},
		// A 微信小店 freight template's valuation and shipping method (internal/wx/store_freight.go).
		"freight.valuation.": {"PIECE", "WEIGHT"},
		"freight.shipping.":  {"FREE", "CONDITION_FREE", "NO_FREE"},
		// Adding products to a shop category or removing them (internal/app/store_shop.go).
		"shopcats.done.": {"add", "del"},
		// Shelf controls 1 to 5 (internal/wx/shelves.go).
		"shelves.control.": {"1", "2", "3", "4", "5", "1.help", "2.help", "3.help", "4.help", "5.help"},
	}

	literals, prefixes, reported := 0, map[string]bool{}, map[use]bool{}
	for _, u := range uses {
		if reported[u] {
			continue
		}
		reported[u] = true
		if u.prefix {
			prefixes[u.key] = true
			if u.values != "" { // completed from a literal list beside the call
				for _, v := range strings.Split(u.values, "|") {
					if !Has(u.key + v) {
						t.Errorf("%s asks for %q, which is not in the catalog (%s + %q)", u.where, u.key+v, u.key, v)
					}
				}
				continue
			}
			if _, ok := expansions[u.key]; !ok {
				t.Errorf("%s builds keys from %q + something: teach this test which values complete it", u.where, u.key)
			}
			continue
		}
		literals++
		if !Has(u.key) {
			t.Errorf("%s asks for %q, which is not in the catalog", u.where, u.key)
		}
	}
	if literals < 50 {
		t.Errorf("found only %d literal keys in the code: the scan is probably broken", literals)
	}
	for _, p := range []string{"nav.", "area.", "role.", "action."} {
		if !prefixes[p] {
			t.Errorf("no key built from %q found: the scan is probably broken, or the code changed", p)
		}
	}
	for prefix, values := range expansions {
		for _, v := range values {
			if !Has(prefix + v) {
				t.Errorf("%q is not in the catalog (%s + %q)", prefix+v, prefix, v)
			}
		}
	}
}

// Keys handed around as values rather than written in a T call: page titles, error texts, token states.
func TestIndirectKeysExist(t *testing.T) {
	root := repoRoot(t)
	indirect := regexp.MustCompile(`^(title|error|token)\.[a-z0-9.]+$`)
	var found []string
	for name, f := range goSources(t, filepath.Join(root, "internal", "app")) {
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := stringLit(asExpr(n)); ok && indirect.MatchString(s) && !slices.Contains(found, s) {
				found = append(found, s)
				if !Has(s) {
					t.Errorf("%s: %q is not in the catalog", name, s)
				}
			}
			return true
		})
	}
	sort.Strings(found)
	for _, want := range []string{"title.login", "error.404.heading", "token.none"} {
		if !slices.Contains(found, want) {
			t.Errorf("%q not found among the indirect keys %v: the scan is probably broken", want, found)
		}
	}
}

func asExpr(n ast.Node) ast.Expr {
	e, _ := n.(ast.Expr)
	return e
}

// Keys in the catalog that nothing uses are not an error (pages still to come), but a typo shows up here.
func TestUnusedKeys(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("informational; run with -v")
	}
	root := repoRoot(t)
	used := map[string]bool{}
	uses := append(templUses(t, root), goUses(t, filepath.Join(root, "internal", "app"))...)
	uses = append(uses, goUses(t, filepath.Join(root, "web", "templates"))...)
	for _, u := range uses {
		used[u.key] = true
	}
	var unused []string
	for key := range messages {
		if used[key] {
			continue
		}
		covered := false
		for p := range used {
			if strings.HasSuffix(p, ".") && strings.HasPrefix(key, p) {
				covered = true
			}
		}
		if !covered {
			unused = append(unused, key)
		}
	}
	sort.Strings(unused)
	t.Logf("catalog keys no literal call uses (may be used indirectly): %v", unused)
}
