package sandbox

import (
	"slices"
	"strings"

	"wxshop/internal/wx"
)

// Shelves (manual section 5): shelf/add, del, mod, getall, getbyid. A shelf is checked by checkShelf on add
// and mod: its controls must be shaped as 5.1.4 describes each kind, name groups of the shop, and show images
// the sandbox handed out. Control 5 stands alone, without other controls and without a shelf_banner, as
// 5.1.4.5 and the shelf_banner row of 5.1.3 say; the manual's own shelf/add example breaks that rule, and the
// sandbox refuses it (errControl5Alone).
//
// Like products, a shelf keeps its images as paths and answers them as URLs against the host of the request.
// Shelf ids come from a counter, never reused, starting at the id of the manual's shelf/add answer.

// firstShelfID is the id of the shop's first shelf.
const firstShelfID = 12

// shelfStore holds the shop's shelves by id, in the order they were added.
type shelfStore struct {
	byID  map[int64]*wx.Shelf // as checkShelf returned them, with ShelfID; image fields hold paths
	order []int64
	last  int64 // the latest id handed out
}

func (ss *shelfStore) add(sh *wx.Shelf) int64 {
	if ss.byID == nil {
		ss.byID = map[int64]*wx.Shelf{}
		ss.last = firstShelfID - 1
	}
	ss.last++
	sh.ShelfID = ss.last
	ss.byID[sh.ShelfID] = sh
	ss.order = append(ss.order, sh.ShelfID)
	return sh.ShelfID
}

func (ss *shelfStore) remove(id int64) {
	delete(ss.byID, id)
	ss.order = slices.DeleteFunc(ss.order, func(o int64) bool { return o == id })
}

// lookup finds a shelf by the id a request gave.
func (ss *shelfStore) lookup(id int64) (*wx.Shelf, error) {
	if id <= 0 {
		return nil, errInvalidArgs.with("shelf_id missing")
	}
	sh, found := ss.byID[id]
	if !found {
		return nil, errShelfNotFound.with("shelf_id %d", id)
	}
	return sh, nil
}

// shelfGroupIDs lists the groups the controls of sh name, in order, with repeats.
func shelfGroupIDs(sh *wx.Shelf) []int64 {
	var ids []int64
	for _, m := range sh.ShelfInfo.ModuleInfos {
		if m.GroupInfo != nil {
			ids = append(ids, m.GroupInfo.GroupID)
		}
		if m.GroupInfos != nil {
			for _, g := range m.GroupInfos.Groups {
				ids = append(ids, g.GroupID)
			}
		}
	}
	return ids
}

// shelfRequest is the body of shelf/add (without shelf_id) and shelf/mod.
type shelfRequest struct {
	ShelfID     int64         `json:"shelf_id"`
	ShelfData   *wx.ShelfData `json:"shelf_data"`
	ShelfBanner string        `json:"shelf_banner"`
	ShelfName   string        `json:"shelf_name"`
}

// checkShelf checks a shelf as shelf/add or shelf/mod received it through base (scheme://host of the
// request, which its image URLs must name) and returns it as the sandbox stores it: a copy without ShelfID
// whose image URLs are replaced by the paths of the sandbox's images. It returns the first rule the shelf
// breaks. The caller holds s.mu.
func (s *Server) checkShelf(req *shelfRequest, base string) (*wx.Shelf, error) {
	if strings.TrimSpace(req.ShelfName) == "" {
		return nil, errInvalidArgs.with("shelf_name missing")
	}
	if req.ShelfData == nil || len(req.ShelfData.ModuleInfos) == 0 {
		return nil, errInvalidArgs.with("shelf_data.module_infos is empty")
	}
	out := cloneShelf(&wx.Shelf{ShelfInfo: *req.ShelfData, ShelfBanner: req.ShelfBanner, ShelfName: req.ShelfName})
	mods := out.ShelfInfo.ModuleInfos
	for i, m := range mods {
		if err := checkControl(i+1, m); err != nil {
			return nil, err
		}
		if m.EID == wx.ShelfModuleBackground {
			switch {
			case len(mods) > 1:
				return nil, errControl5Alone.with("control %d is control 5, and the shelf has %d controls", i+1, len(mods))
			case out.ShelfBanner != "":
				return nil, errControl5Alone.with("a shelf of control 5 has no shelf_banner")
			}
		}
	}
	for _, id := range shelfGroupIDs(out) {
		if _, err := s.groups.lookup(id); err != nil {
			return nil, err
		}
	}
	if err := s.localizeShelfImages(out, base); err != nil {
		return nil, err
	}
	return out, nil
}

// checkControl wants control number n (from 1) to have the shape 5.1.4 gives its kind, and nothing else.
func checkControl(n int, m wx.ShelfModule) error {
	bad := func(format string, args ...any) error {
		return errShelfControl.with("control %d (eid %d): "+format, append([]any{n, m.EID}, args...)...)
	}
	switch m.EID {
	case wx.ShelfModuleProducts, wx.ShelfModuleGroupImage:
		gi := m.GroupInfo
		switch {
		case gi == nil || m.GroupInfos != nil:
			return bad("takes group_info, not group_infos")
		case m.EID == wx.ShelfModuleProducts && (gi.Filter == nil || gi.Filter.Count < 1):
			return bad("filter.count must be at least 1")
		case m.EID == wx.ShelfModuleProducts && gi.Img != "":
			return bad("takes no img")
		case m.EID == wx.ShelfModuleGroupImage && gi.Img == "":
			return bad("img missing")
		case m.EID == wx.ShelfModuleGroupImage && gi.Filter != nil:
			return bad("takes no filter")
		}
		return nil
	case wx.ShelfModuleGroupNames, wx.ShelfModuleGroupImages, wx.ShelfModuleBackground:
	default:
		return bad("eid is not 1 to 5")
	}
	gi := m.GroupInfos
	if gi == nil || m.GroupInfo != nil {
		return bad("takes group_infos, not group_info")
	}
	limit := map[int]int{wx.ShelfModuleGroupNames: wx.MaxShelfGroupNames, wx.ShelfModuleGroupImages: wx.MaxShelfGroupImages}[m.EID]
	switch {
	case len(gi.Groups) == 0:
		return bad("no groups")
	case limit > 0 && len(gi.Groups) > limit:
		return bad("%d groups, at most %d", len(gi.Groups), limit)
	case m.EID == wx.ShelfModuleBackground && gi.ImgBackground == "":
		return bad("img_background missing")
	case m.EID != wx.ShelfModuleBackground && gi.ImgBackground != "":
		return bad("takes no img_background")
	}
	for _, g := range gi.Groups {
		switch {
		case m.EID == wx.ShelfModuleGroupImages && g.Img == "":
			return bad("group %d has no img", g.GroupID)
		case m.EID != wx.ShelfModuleGroupImages && g.Img != "":
			return bad("group %d: the control takes no img per group", g.GroupID)
		}
	}
	return nil
}

// imageField is one image of a shelf: what the field is called, for errors, and where it is.
type imageField struct {
	field string
	img   *string
}

// shelfImages calls f for each image field of sh that holds an image: shelf_banner, the img of controls 3
// and 4, the img_background of control 5. It stops at the first error f returns.
func shelfImages(sh *wx.Shelf, f func(field string, img *string) error) error {
	images := []imageField{{"shelf_banner", &sh.ShelfBanner}}
	for _, m := range sh.ShelfInfo.ModuleInfos {
		if m.GroupInfo != nil {
			images = append(images, imageField{"img", &m.GroupInfo.Img})
		}
		if m.GroupInfos != nil {
			images = append(images, imageField{"img_background", &m.GroupInfos.ImgBackground})
			for i := range m.GroupInfos.Groups {
				images = append(images, imageField{"img", &m.GroupInfos.Groups[i].Img})
			}
		}
	}
	for _, im := range images {
		if *im.img == "" {
			continue
		}
		if err := f(im.field, im.img); err != nil {
			return err
		}
	}
	return nil
}

// localizeShelfImages replaces every image URL of sh with the path of the sandbox image it names; a URL the
// sandbox did not hand out through base is refused.
func (s *Server) localizeShelfImages(sh *wx.Shelf, base string) error {
	return shelfImages(sh, func(field string, img *string) error {
		path, ok := s.images.pathOf(*img, base)
		if !ok {
			return errImageNotOurs.with("%s %q", field, *img)
		}
		*img = path
		return nil
	})
}

// globalizeShelfImages is the reverse of localizeShelfImages: it writes base in front of every image path.
func globalizeShelfImages(sh *wx.Shelf, base string) {
	_ = shelfImages(sh, func(_ string, img *string) error {
		*img = base + *img
		return nil
	})
}

// cloneShelf copies sh deeply, so that what the sandbox stores shares nothing with a request or an answer.
func cloneShelf(sh *wx.Shelf) *wx.Shelf {
	out := *sh
	out.ShelfInfo.ModuleInfos = slices.Clone(sh.ShelfInfo.ModuleInfos)
	for i := range out.ShelfInfo.ModuleInfos {
		m := &out.ShelfInfo.ModuleInfos[i]
		if m.GroupInfo != nil {
			gi := *m.GroupInfo
			if gi.Filter != nil {
				f := *gi.Filter
				gi.Filter = &f
			}
			m.GroupInfo = &gi
		}
		if m.GroupInfos != nil {
			gi := *m.GroupInfos
			gi.Groups = slices.Clone(gi.Groups)
			m.GroupInfos = &gi
		}
	}
	return &out
}

// shelfInfo renders sh as the answers carry it, its image URLs absolute against base.
func shelfInfo(sh *wx.Shelf, base string) wx.Shelf {
	out := cloneShelf(sh)
	globalizeShelfImages(out, base)
	return *out
}

type addShelfAnswer struct {
	status
	ShelfID int64 `json:"shelf_id"`
}

// addShelf is POST /merchant/shelf/add.
func (s *Server) addShelf(c *call) (any, error) {
	var req shelfRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	req.ShelfID = 0
	sh, err := s.checkShelf(&req, requestBase(c.r))
	if err != nil {
		return nil, err
	}
	return addShelfAnswer{status: statusSuccess, ShelfID: s.shelves.add(sh)}, nil
}

type shelfIDRequest struct {
	ShelfID int64 `json:"shelf_id"`
}

// deleteShelf is POST /merchant/shelf/del. Its groups stay.
func (s *Server) deleteShelf(c *call) (any, error) {
	var req shelfIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if _, err := s.shelves.lookup(req.ShelfID); err != nil {
		return nil, err
	}
	s.shelves.remove(req.ShelfID)
	return statusSuccess, nil
}

// modifyShelf is POST /merchant/shelf/mod: the body replaces the shelf, which keeps its id. A shelf_banner
// left out is no banner.
func (s *Server) modifyShelf(c *call) (any, error) {
	var req shelfRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if _, err := s.shelves.lookup(req.ShelfID); err != nil {
		return nil, err
	}
	sh, err := s.checkShelf(&req, requestBase(c.r))
	if err != nil {
		return nil, err
	}
	sh.ShelfID = req.ShelfID
	s.shelves.byID[sh.ShelfID] = sh
	return statusSuccess, nil
}

type allShelvesAnswer struct {
	status
	Shelves []wx.Shelf `json:"shelves"`
}

// getAllShelves is GET /merchant/shelf/getall, without a body: every shelf with shelf_info, shelf_banner,
// shelf_name and shelf_id, in the order they were added.
func (s *Server) getAllShelves(c *call) (any, error) {
	return allShelvesAnswer{status: statusSuccess, Shelves: s.shelfList(requestBase(c.r))}, nil
}

// shelfList renders every shelf against base. The caller holds s.mu.
func (s *Server) shelfList(base string) []wx.Shelf {
	list := make([]wx.Shelf, 0, len(s.shelves.order))
	for _, id := range s.shelves.order {
		list = append(list, shelfInfo(s.shelves.byID[id], base))
	}
	return list
}

type getShelfAnswer struct {
	status
	wx.Shelf // the answer is the shelf itself, beside errcode
}

// getShelf is POST /merchant/shelf/getbyid.
func (s *Server) getShelf(c *call) (any, error) {
	var req shelfIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sh, err := s.shelves.lookup(req.ShelfID)
	if err != nil {
		return nil, err
	}
	return getShelfAnswer{status: statusSuccess, Shelf: shelfInfo(sh, requestBase(c.r))}, nil
}

// Shelves returns a copy of every shelf the sandbox holds, in the order they were added, its image URLs
// absolute against the host of the latest API call (paths before any call), for tests that check what
// WeChat was told.
func (s *Server) Shelves() []wx.Shelf {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shelfList(s.lastBase)
}
