package shop

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// mirroredKind is one kind of mirrored object as the tests drive it: make a new one through the shop, count
// what WeChat and the mirror hold of it, delete it.
type mirroredKind struct {
	name, createPath, deletePath string
	create                       func(t *testing.T, ts *testShop, name string) (string, error)
	inWeChat                     func(ts *testShop, name string) int
	inMirror                     func(t *testing.T, ts *testShop, id string) bool
	remove                       func(t *testing.T, ts *testShop, id string) error
}

func int64ID(t *testing.T, id string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", id, err)
	}
	return n
}

func mirroredKinds() []mirroredKind {
	return []mirroredKind{
		{name: "postage", createPath: "/merchant/express/add", deletePath: "/merchant/express/del",
			create: func(t *testing.T, ts *testShop, name string) (string, error) {
				tpl := ts.sandbox.DeliveryTemplates()[0]
				tpl.ID, tpl.Name = 0, name
				id, err := ts.SavePostageTemplate(t.Context(), ts.j(), 0, &tpl)
				return strconv.FormatInt(id, 10), err
			},
			inWeChat: func(ts *testShop, name string) int {
				n := 0
				for _, d := range ts.sandbox.DeliveryTemplates() {
					if d.Name == name {
						n++
					}
				}
				return n
			},
			inMirror: func(t *testing.T, ts *testShop, id string) bool {
				_, err := ts.store.PostageTemplate(t.Context(), int64ID(t, id))
				return err == nil
			},
			remove: func(t *testing.T, ts *testShop, id string) error {
				tpl, err := ts.PostageTemplate(t.Context(), int64ID(t, id))
				if err != nil {
					t.Fatal(err)
				}
				return ts.DeletePostageTemplate(t.Context(), ts.j(), tpl)
			}},
		{name: "shelf", createPath: "/merchant/shelf/add", deletePath: "/merchant/shelf/del",
			create: func(t *testing.T, ts *testShop, name string) (string, error) {
				shelves, err := ts.wx.Shelves(t.Context()) // as WeChat answers: with its images' URLs
				if err != nil {
					t.Fatal(err)
				}
				sh := shelves[0]
				sh.ShelfID, sh.ShelfName = 0, name
				id, err := ts.SaveShelf(t.Context(), ts.j(), 0, &sh)
				return strconv.FormatInt(id, 10), err
			},
			inWeChat: func(ts *testShop, name string) int {
				n := 0
				for _, sh := range ts.sandbox.Shelves() {
					if sh.ShelfName == name {
						n++
					}
				}
				return n
			},
			inMirror: func(t *testing.T, ts *testShop, id string) bool {
				_, err := ts.store.Shelf(t.Context(), int64ID(t, id))
				return err == nil
			},
			remove: func(t *testing.T, ts *testShop, id string) error {
				sh, err := ts.Shelf(t.Context(), int64ID(t, id))
				if err != nil {
					t.Fatal(err)
				}
				return ts.DeleteShelf(t.Context(), ts.j(), sh)
			}},
		{name: "group", createPath: "/merchant/group/add", deletePath: "/merchant/group/del",
			create: func(t *testing.T, ts *testShop, name string) (string, error) {
				id, err := ts.CreateGroup(t.Context(), ts.j(), name, nil)
				return strconv.FormatInt(id, 10), err
			},
			inWeChat: func(ts *testShop, name string) int {
				n := 0
				for _, g := range ts.sandbox.Groups() {
					if g.GroupName == name {
						n++
					}
				}
				return n
			},
			inMirror: func(t *testing.T, ts *testShop, id string) bool {
				_, err := ts.store.Group(t.Context(), int64ID(t, id))
				return err == nil
			},
			remove: func(t *testing.T, ts *testShop, id string) error {
				g, err := ts.store.Group(t.Context(), int64ID(t, id))
				if err != nil {
					t.Fatal(err)
				}
				return ts.DeleteGroup(t.Context(), ts.j(), g)
			}},
		{name: "product", createPath: "/merchant/create", deletePath: "/merchant/del",
			create: func(t *testing.T, ts *testShop, name string) (string, error) {
				products, err := ts.wx.ProductsByStatus(t.Context(), wx.ProductsAll)
				if err != nil {
					t.Fatal(err)
				}
				p := products[0]
				p.ProductID, p.ProductBase.Name, p.Status = "", name, 0
				p.ProductBase.Property = nil // listed by their names; sent, they are ids
				for i := range p.SKUList {
					p.SKUList[i].ProductCode = name + "-" + strconv.Itoa(i)
				}
				return ts.SaveProduct(t.Context(), ts.j(), nil, &p)
			},
			inWeChat: func(ts *testShop, name string) int {
				n := 0
				for _, p := range ts.sandbox.Products() {
					if p.ProductBase.Name == name {
						n++
					}
				}
				return n
			},
			inMirror: func(t *testing.T, ts *testShop, id string) bool {
				_, err := ts.store.Product(t.Context(), id)
				return err == nil
			},
			remove: func(t *testing.T, ts *testShop, id string) error {
				row, err := ts.store.Product(t.Context(), id)
				if err != nil {
					t.Fatal(err)
				}
				return ts.DeleteProduct(t.Context(), ts.j(), row)
			}},
	}
}

// A create whose answer is lost on the way back has made the object all the same: the flow finds it in WeChat's
// list, so there is one object, mirrored, audited as made; sending the form again would make a second.
func TestCreateWhoseAnswerWasLostMakesOneObject(t *testing.T) {
	for _, k := range mirroredKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestShop(t, sandbox.Options{})
			name := "测试" + k.name
			ts.sandbox.LoseNext(k.createPath, 1)
			id, err := k.create(t, ts, name)
			if err != nil {
				t.Fatalf("create with its answer lost: %v", err)
			}
			if n := k.inWeChat(ts, name); n != 1 {
				t.Errorf("WeChat holds %d objects named %s, want 1", n, name)
			}
			if !k.inMirror(t, ts, id) {
				t.Errorf("the mirror does not hold %s %s", k.name, id)
			}
			if n := ts.sandbox.Calls(k.createPath); n != 1 {
				t.Errorf("the create call was sent %d times", n)
			}
			wantEntry(t, ts, k.name+".create", id, "ok")
		})
	}
}

// WeChat refusing a create leaves nothing behind: no mirror row, the refusal as WeChat said it, audited.
func TestRefusedCreateIsNotMirrored(t *testing.T) {
	for _, k := range mirroredKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestShop(t, sandbox.Options{})
			ts.sandbox.FailNext(k.createPath, 9401020, "invalid param", 1)
			id, err := k.create(t, ts, "拒绝"+k.name)
			var we *wx.Error
			if !errors.As(err, &we) || we.Code != 9401020 || IsStoreError(err) {
				t.Fatalf("refused create answered %v", err)
			}
			if id != "0" && id != "" {
				t.Errorf("a refused create answered the id %q", id)
			}
			if n := k.inWeChat(ts, "拒绝"+k.name); n != 0 {
				t.Errorf("WeChat holds %d", n)
			}
			wantEntry(t, ts, k.name+".create", id, "errcode 9401020: invalid param")
		})
	}
}

// A delete whose answer is lost has deleted the object: WeChat no longer lists it, so it counts as done and
// leaves the mirror too.
func TestDeleteWhoseAnswerWasLostCountsAsDone(t *testing.T) {
	for _, k := range mirroredKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestShop(t, sandbox.Options{})
			name := "删除" + k.name
			id, err := k.create(t, ts, name)
			if err != nil {
				t.Fatal(err)
			}
			ts.journal.take()
			ts.sandbox.LoseNext(k.deletePath, 1)
			if err := k.remove(t, ts, id); err != nil {
				t.Fatalf("delete with its answer lost: %v", err)
			}
			if n := k.inWeChat(ts, name); n != 0 {
				t.Errorf("WeChat still holds %d", n)
			}
			if k.inMirror(t, ts, id) {
				t.Error("the mirror still holds it")
			}
			wantEntry(t, ts, k.name+".delete", id, "ok")
		})
	}
}

// An update WeChat accepts is mirrored as sent, and audited as an update of that object.
func TestUpdateIsMirroredAsSent(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{})
	ctx := context.Background()
	if _, err := ts.SyncShelves(ctx); err != nil {
		t.Fatal(err)
	}
	shelves, _ := ts.store.Shelves(ctx)
	sh, err := StoredShelf(shelves[0])
	if err != nil {
		t.Fatal(err)
	}
	sh.ShelfName = "改名的货架"
	id, err := ts.SaveShelf(ctx, ts.j(), sh.ShelfID, &sh)
	if err != nil || id != sh.ShelfID {
		t.Fatalf("update answered %d, %v", id, err)
	}
	got, err := ts.Shelf(ctx, id)
	if err != nil || got.ShelfName != "改名的货架" {
		t.Errorf("the mirror holds %+v, %v", got, err)
	}
	wantEntry(t, ts, "shelf.update", strconv.FormatInt(id, 10), "ok")
	if _, err := ts.store.Shelf(ctx, 1<<40); !errors.Is(err, db.ErrNoRecord) {
		t.Errorf("an unknown shelf: %v", err)
	}
}
