package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"wxshop/internal/wx"
)

// The shop's home-page categories (店铺首页分类) and window (橱窗) (shared/api/store/README.md). The tree is
// set as a whole under the version it was read at; a stale version answers CodeShopTreeVersion (the
// sandbox's code: no page read names one). New categories (id 0) get ids; a category left out must be named
// in classification_id_deleted, and its products leave it. At most 500 products per category (10020051).
// The window lists the shop's products: pinned first, then in their order; reorder moves one to index_num.

func catKey(l1, l2 int64) string { return strconv.FormatInt(l1, 10) + "." + strconv.FormatInt(l2, 10) }

func (s *Server) getShopTree(c *call) (any, error) {
	var ans struct {
		status
		Resp struct {
			Tree struct {
				Level1 []wx.ShopCategory `json:"level_1"`
			} `json:"tree"`
			Version int64 `json:"version"`
		} `json:"resp"`
	}
	ans.status = statusOK
	ans.Resp.Tree.Level1 = cloneTree(s.store.tree)
	ans.Resp.Version = s.store.treeVer
	return ans, nil
}

func cloneTree(t []wx.ShopCategory) []wx.ShopCategory {
	b, _ := json.Marshal(t)
	out := []wx.ShopCategory{}
	_ = json.Unmarshal(b, &out)
	return out
}

func (s *Server) setShopTree(c *call) (any, error) {
	var req struct {
		Req struct {
			Version int64 `json:"version"`
			Tree    struct {
				Level1 []wx.ShopCategory `json:"level_1"`
			} `json:"tree"`
			Deleted []string `json:"classification_id_deleted"`
		} `json:"req"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	r := req.Req
	if r.Version != s.store.treeVer {
		return nil, &apiError{wx.CodeShopTreeVersion, fmt.Sprintf("version %d is not the current %d", r.Version, s.store.treeVer)}
	}
	old := map[string]bool{}
	for _, l1 := range s.store.tree {
		old[catKey(l1.ID, 0)] = true
		for _, l2 := range l1.Level2 {
			old[catKey(l1.ID, l2.ID)] = true
		}
	}
	kept := map[string]bool{}
	tree := cloneTree(r.Tree.Level1)
	names := map[string]bool{}
	for i := range tree {
		l1 := &tree[i]
		if strings.TrimSpace(l1.Name) == "" || names[l1.Name] {
			return nil, errStoreBadParam.with("level_1 name %q empty or given twice", l1.Name)
		}
		names[l1.Name] = true
		if l1.ID == 0 {
			l1.ID = s.store.treeNextID
			s.store.treeNextID++
		} else if !old[catKey(l1.ID, 0)] {
			return nil, errStoreBadParam.with("level_1 id %d does not exist", l1.ID)
		}
		kept[catKey(l1.ID, 0)] = true
		for j := range l1.Level2 {
			l2 := &l1.Level2[j]
			if strings.TrimSpace(l2.Name) == "" {
				return nil, errStoreBadParam.with("level_2 name empty under %q", l1.Name)
			}
			if l2.ID == 0 {
				l2.ID = s.store.treeNextID
				s.store.treeNextID++
			} else if !old[catKey(l1.ID, l2.ID)] {
				return nil, errStoreBadParam.with("level_2 id %d does not exist under %d", l2.ID, l1.ID)
			}
			kept[catKey(l1.ID, l2.ID)] = true
		}
	}
	deleted := map[string]bool{}
	for _, d := range r.Deleted {
		if !strings.Contains(d, ".") {
			d += ".0"
		}
		deleted[d] = true
	}
	for k := range old {
		if !kept[k] && !deleted[k] {
			return nil, errStoreBadParam.with("category %s left out but not in classification_id_deleted", k)
		}
	}
	for k := range deleted {
		delete(s.store.catProds, k)
	}
	s.store.tree = tree
	s.store.treeVer++
	return statusOK, nil
}

func (s *Server) treeHas(l1, l2 int64) bool {
	for _, c := range s.store.tree {
		if c.ID != l1 {
			continue
		}
		if l2 == 0 {
			return true
		}
		return slices.ContainsFunc(c.Level2, func(sc wx.ShopSubCategory) bool { return sc.ID == l2 })
	}
	return false
}

type treeProductsRequest struct {
	Req struct {
		Level1ID    int64   `json:"level_1_id"`
		Level2ID    int64   `json:"level_2_id"`
		ProductIDs  []wx.ID `json:"product_ids"`
		PageSize    int     `json:"page_size"`
		PageContext string  `json:"page_context"`
	} `json:"req"`
}

func (s *Server) treeProducts(c *call, add bool) (any, error) {
	var req treeProductsRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	r := req.Req
	if !s.treeHas(r.Level1ID, r.Level2ID) {
		return nil, errStoreBadParam.with("category %s does not exist", catKey(r.Level1ID, r.Level2ID))
	}
	if len(r.ProductIDs) == 0 {
		return nil, errStoreBadParam.with("product_ids missing")
	}
	k := catKey(r.Level1ID, r.Level2ID)
	ids := s.store.catProds[k]
	for _, id := range r.ProductIDs {
		if _, found := s.store.products[string(id)]; !found {
			return nil, errStoreNoProduct.with("product_id %s", id)
		}
		if add && !slices.Contains(ids, string(id)) {
			ids = append(ids, string(id))
		} else if !add {
			ids = slices.DeleteFunc(ids, func(o string) bool { return o == string(id) })
		}
	}
	if len(ids) > wx.MaxShopCategoryProducts {
		return nil, errStoreBadParam.with("a category holds at most %d products", wx.MaxShopCategoryProducts)
	}
	s.store.catProds[k] = ids
	return statusOK, nil
}

func (s *Server) addShopTreeProducts(c *call) (any, error) { return s.treeProducts(c, true) }
func (s *Server) delShopTreeProducts(c *call) (any, error) { return s.treeProducts(c, false) }

func (s *Server) getShopTreeProducts(c *call) (any, error) {
	var req treeProductsRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	r := req.Req
	if !s.treeHas(r.Level1ID, r.Level2ID) {
		return nil, errStoreBadParam.with("category %s does not exist", catKey(r.Level1ID, r.Level2ID))
	}
	if r.PageSize <= 0 {
		r.PageSize = 10
	}
	ids := s.store.catProds[catKey(r.Level1ID, r.Level2ID)]
	start := 0
	if r.PageContext != "" {
		n, err := strconv.Atoi(r.PageContext)
		if err != nil || n < 0 || n > len(ids) {
			return nil, errStoreBadParam.with("page_context %q", r.PageContext)
		}
		start = n
	}
	end := min(start+r.PageSize, len(ids))
	var ans struct {
		status
		Resp struct {
			ProductIDs  []json.Number `json:"product_ids"`
			PageContext string        `json:"page_context"`
		} `json:"resp"`
	}
	ans.status = statusOK
	ans.Resp.ProductIDs = []json.Number{}
	for _, id := range ids[start:end] {
		ans.Resp.ProductIDs = append(ans.Resp.ProductIDs, json.Number(id)) // bare numbers, as the sample has them
	}
	if end < len(ids) {
		ans.Resp.PageContext = strconv.Itoa(end)
	}
	return ans, nil
}

// windowOrder is the window as buyers see it: pinned products first, each group in its order.
func (s *Server) windowOrder() []windowEntry {
	var top, rest []windowEntry
	for _, w := range s.store.window {
		sp := s.store.products[w.productID]
		if sp == nil || sp.online == nil {
			continue
		}
		if w.top {
			top = append(top, w)
		} else {
			rest = append(rest, w)
		}
	}
	return append(top, rest...)
}

func (s *Server) listWindow(c *call) (any, error) {
	var req struct {
		PageSize int    `json:"page_size"`
		NextKey  string `json:"next_key"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.PageSize <= 0 {
		req.PageSize = 10
	}
	list := s.windowOrder()
	start := 0
	if req.NextKey != "" {
		n, err := strconv.Atoi(req.NextKey)
		if err != nil || n < 0 || n > len(list) {
			return nil, errStoreBadParam.with("next_key %q", req.NextKey)
		}
		start = n
	}
	end := min(start+req.PageSize, len(list))
	type product struct {
		ProductID json.Number `json:"product_id"`
		IsSetHide int         `json:"is_set_hide"`
		IsSetTop  int         `json:"is_set_top"`
	}
	var ans struct {
		status
		Products []product `json:"products"`
		TotalNum int       `json:"total_num"`
		NextKey  string    `json:"next_key"`
	}
	ans.status, ans.Products, ans.TotalNum = statusOK, []product{}, len(list)
	for _, w := range list[start:end] {
		ans.Products = append(ans.Products, product{json.Number(w.productID), boolNum(w.hide), boolNum(w.top)})
	}
	if end < len(list) {
		ans.NextKey = strconv.Itoa(end)
	}
	return ans, nil
}

func boolNum(b bool) int {
	if b {
		return 1
	}
	return 0
}

type windowRequest struct {
	ProductID wx.ID `json:"product_id"`
	IndexNum  *int  `json:"index_num"`
	IsSetTop  *int  `json:"is_set_top"`
	IsSetHide *int  `json:"is_set_hide"`
}

func (s *Server) windowEntryOf(c *call) (*windowRequest, int, error) {
	var req windowRequest
	if err := c.decode(&req); err != nil {
		return nil, 0, err
	}
	i := slices.IndexFunc(s.store.window, func(w windowEntry) bool { return w.productID == string(req.ProductID) })
	if i < 0 || s.store.products[string(req.ProductID)].online == nil {
		return nil, 0, errStoreNoProduct.with("product_id %s is not in the window", req.ProductID)
	}
	return &req, i, nil
}

func (s *Server) reorderWindow(c *call) (any, error) {
	req, i, err := s.windowEntryOf(c)
	if err != nil {
		return nil, err
	}
	if req.IndexNum == nil || *req.IndexNum < 0 {
		return nil, errStoreBadParam.with("index_num missing or negative")
	}
	// index_num is a position in the window as buyers see it.
	order := s.windowOrder()
	w := s.store.window[i]
	order = slices.DeleteFunc(order, func(o windowEntry) bool { return o.productID == w.productID })
	at := min(*req.IndexNum, len(order))
	order = slices.Insert(order, at, w)
	// Keep the products that are not shown (never listed) at the end, in their order.
	var rest []windowEntry
	for _, o := range s.store.window {
		if sp := s.store.products[o.productID]; sp == nil || sp.online == nil {
			rest = append(rest, o)
		}
	}
	s.store.window = append(order, rest...)
	return statusOK, nil
}

func (s *Server) setWindowTop(c *call) (any, error) {
	req, i, err := s.windowEntryOf(c)
	if err != nil {
		return nil, err
	}
	if req.IsSetTop == nil || *req.IsSetTop != 0 && *req.IsSetTop != 1 {
		return nil, errStoreBadParam.with("is_set_top must be 0 or 1")
	}
	s.store.window[i].top = *req.IsSetTop == 1
	return statusOK, nil
}

func (s *Server) setWindowHide(c *call) (any, error) {
	req, i, err := s.windowEntryOf(c)
	if err != nil {
		return nil, err
	}
	if req.IsSetHide == nil || *req.IsSetHide != 0 && *req.IsSetHide != 1 {
		return nil, errStoreBadParam.with("is_set_hide must be 0 or 1")
	}
	s.store.window[i].hide = *req.IsSetHide == 1
	return statusOK, nil
}
