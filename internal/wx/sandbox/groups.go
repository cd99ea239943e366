package sandbox

import (
	"slices"
	"strings"

	"wxshop/internal/wx"
)

// Groups (manual section 4): group/add, del, propertymod (the name), productmod (add or remove products),
// getall, getbyid. A group has a unique, non-empty name and holds products of the shop, each once; shelves
// show products by group.
//
// productmod is strict rather than idempotent: adding a product the group holds answers
// errProductInGroup and removing one it does not hold errProductNotInGroup, so a client working from a stale
// copy of the group learns so instead of believing it changed something. The entries of one call are applied
// in order and all or none: one refused entry leaves the group as it was.
//
// Deleting a product takes it out of every group (deleteProduct); a group that a shelf shows cannot be
// deleted. Group ids come from a counter, never reused, starting at the id of the manual's getall example.

// firstGroupID is the id of the shop's first group.
const firstGroupID = 200077549

// storedGroup is one group of the shop.
type storedGroup struct {
	id       int64
	name     string
	products []string // product ids, in the order they were added
}

// groupStore holds the shop's groups by id, in the order they were added.
type groupStore struct {
	byID  map[int64]*storedGroup
	order []int64
	last  int64 // the latest id handed out
}

func (gs *groupStore) add(g *storedGroup) int64 {
	if gs.byID == nil {
		gs.byID = map[int64]*storedGroup{}
		gs.last = firstGroupID - 1
	}
	gs.last++
	g.id = gs.last
	gs.byID[g.id] = g
	gs.order = append(gs.order, g.id)
	return g.id
}

func (gs *groupStore) remove(id int64) {
	delete(gs.byID, id)
	gs.order = slices.DeleteFunc(gs.order, func(o int64) bool { return o == id })
}

// lookup finds a group by the id a request gave.
func (gs *groupStore) lookup(id int64) (*storedGroup, error) {
	if id <= 0 {
		return nil, errInvalidArgs.with("group_id missing")
	}
	g, found := gs.byID[id]
	if !found {
		return nil, errGroupNotFound.with("group_id %d", id)
	}
	return g, nil
}

// removeProduct takes product id out of every group, as deleting the product does.
func (gs *groupStore) removeProduct(id string) {
	for _, g := range gs.byID {
		g.products = slices.DeleteFunc(g.products, func(p string) bool { return p == id })
	}
}

// checkGroupName wants a non-empty name that no group but self (0: none) has.
func (s *Server) checkGroupName(name string, self int64) error {
	if strings.TrimSpace(name) == "" {
		return errInvalidArgs.with("group_name missing")
	}
	for _, id := range s.groups.order {
		if g := s.groups.byID[id]; id != self && g.name == name {
			return errGroupNameTaken.with("%q is group %d", name, id)
		}
	}
	return nil
}

// checkGroupProducts wants each id to be a product of the shop, once.
func (s *Server) checkGroupProducts(ids []string) error {
	seen := map[string]bool{}
	for _, id := range ids {
		if _, err := s.products.lookup(id); err != nil {
			return err
		}
		if seen[id] {
			return errInvalidArgs.with("product_list names %q twice", id)
		}
		seen[id] = true
	}
	return nil
}

// checkGroup checks a group as group/add received it; self is the id of the group it replaces (0: none).
// It is the one validator of groups, which the demo data is tested against too.
func (s *Server) checkGroup(name string, products []string, self int64) error {
	if err := s.checkGroupName(name, self); err != nil {
		return err
	}
	return s.checkGroupProducts(products)
}

// groupShelves lists the shelves that show group id, in the order they were added. The caller holds s.mu.
func (s *Server) groupShelves(id int64) []int64 {
	var users []int64
	for _, sid := range s.shelves.order {
		if slices.Contains(shelfGroupIDs(s.shelves.byID[sid]), id) {
			users = append(users, sid)
		}
	}
	return users
}

type addGroupAnswer struct {
	status
	GroupID int64 `json:"group_id"`
}

// addGroup is POST /merchant/group/add.
func (s *Server) addGroup(c *call) (any, error) {
	var req struct {
		GroupDetail *struct {
			GroupName   string   `json:"group_name"`
			ProductList []string `json:"product_list"`
		} `json:"group_detail"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	d := req.GroupDetail
	if d == nil {
		return nil, errInvalidArgs.with("group_detail missing")
	}
	if err := s.checkGroup(d.GroupName, d.ProductList, 0); err != nil {
		return nil, err
	}
	id := s.groups.add(&storedGroup{name: d.GroupName, products: slices.Clone(d.ProductList)})
	return addGroupAnswer{status: statusSuccess, GroupID: id}, nil
}

type groupIDRequest struct {
	GroupID int64 `json:"group_id"`
}

// deleteGroup is POST /merchant/group/del. Its products stay; a group that a shelf shows stays too.
func (s *Server) deleteGroup(c *call) (any, error) {
	var req groupIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if _, err := s.groups.lookup(req.GroupID); err != nil {
		return nil, err
	}
	if shelves := s.groupShelves(req.GroupID); len(shelves) > 0 {
		return nil, errGroupInUse.with("group_id %d is shown on shelf %d", req.GroupID, shelves[0])
	}
	s.groups.remove(req.GroupID)
	return statusSuccess, nil
}

// renameGroup is POST /merchant/group/propertymod: group_name is the one property a group has.
func (s *Server) renameGroup(c *call) (any, error) {
	var req struct {
		GroupID   int64  `json:"group_id"`
		GroupName string `json:"group_name"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	g, err := s.groups.lookup(req.GroupID)
	if err != nil {
		return nil, err
	}
	if err := s.checkGroupName(req.GroupName, g.id); err != nil {
		return nil, err
	}
	g.name = req.GroupName
	return statusSuccess, nil
}

// modifyGroupProducts is POST /merchant/group/productmod: each entry adds (mod_action 1) or removes (0) one
// product, in order, all or none.
func (s *Server) modifyGroupProducts(c *call) (any, error) {
	var req struct {
		GroupID int64 `json:"group_id"`
		Product []struct {
			ProductID string `json:"product_id"`
			ModAction *int   `json:"mod_action"`
		} `json:"product"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	g, err := s.groups.lookup(req.GroupID)
	if err != nil {
		return nil, err
	}
	if len(req.Product) == 0 {
		return nil, errInvalidArgs.with("product is empty")
	}
	products := slices.Clone(g.products)
	for _, m := range req.Product {
		if _, err := s.products.lookup(m.ProductID); err != nil {
			return nil, err
		}
		in := slices.Contains(products, m.ProductID)
		switch {
		case m.ModAction == nil:
			return nil, errInvalidArgs.with("mod_action missing for %q", m.ProductID)
		case *m.ModAction == wx.GroupAddProduct && in:
			return nil, errProductInGroup.with("group %d holds %q", g.id, m.ProductID)
		case *m.ModAction == wx.GroupAddProduct:
			products = append(products, m.ProductID)
		case *m.ModAction == wx.GroupRemoveProduct && !in:
			return nil, errProductNotInGroup.with("group %d does not hold %q", g.id, m.ProductID)
		case *m.ModAction == wx.GroupRemoveProduct:
			products = slices.DeleteFunc(products, func(p string) bool { return p == m.ProductID })
		default:
			return nil, errInvalidArgs.with("mod_action %d for %q is not 0 (remove) or 1 (add)", *m.ModAction, m.ProductID)
		}
	}
	g.products = products
	return statusSuccess, nil
}

type allGroupsAnswer struct {
	status
	GroupsDetail []wx.Group `json:"groups_detail"`
}

// getAllGroups is GET /merchant/group/getall, without a body: ids and names, no products, in the order the
// groups were added.
func (s *Server) getAllGroups(*call) (any, error) {
	list := make([]wx.Group, 0, len(s.groups.order))
	for _, id := range s.groups.order {
		g := s.groups.byID[id]
		list = append(list, wx.Group{GroupID: g.id, GroupName: g.name})
	}
	return allGroupsAnswer{status: statusSuccess, GroupsDetail: list}, nil
}

// groupDetail is group_detail of group/getbyid. wx.Group leaves an empty product_list out, as getall must;
// getbyid always sends it, [] for an empty group, as the manual shows it.
type groupDetail struct {
	wx.Group
	ProductList []string `json:"product_list"` // shadows wx.Group's, which stays empty
}

type getGroupAnswer struct {
	status
	GroupDetail groupDetail `json:"group_detail"`
}

// getGroup is POST /merchant/group/getbyid.
func (s *Server) getGroup(c *call) (any, error) {
	var req groupIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	g, err := s.groups.lookup(req.GroupID)
	if err != nil {
		return nil, err
	}
	d := groupDetail{Group: wx.Group{GroupID: g.id, GroupName: g.name}, ProductList: orEmpty(slices.Clone(g.products))}
	return getGroupAnswer{status: statusSuccess, GroupDetail: d}, nil
}

// Groups returns a copy of every group the sandbox holds, with its products, in the order they were added,
// for tests that check what WeChat was told.
func (s *Server) Groups() []wx.Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]wx.Group, 0, len(s.groups.order))
	for _, id := range s.groups.order {
		g := s.groups.byID[id]
		list = append(list, wx.Group{GroupID: g.id, GroupName: g.name, ProductList: slices.Clone(g.products)})
	}
	return list
}
