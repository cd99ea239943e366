package wx

import (
	"context"
	"fmt"
)

// Shelf is a shop front page (货架, manual section 5): an item of shelf/getall's shelves and the answer of
// shelf/getbyid. CreateShelf and UpdateShelf send ShelfInfo as shelf_data, the name those calls use.
type Shelf struct {
	ShelfID   int64     `json:"shelf_id,omitempty"`
	ShelfInfo ShelfData `json:"shelf_info"`
	// ShelfBanner is a URL from UploadImage (640*120 suggested). Only controls 1 to 4 show it; an empty
	// banner is left out of the request.
	ShelfBanner string `json:"shelf_banner"`
	ShelfName   string `json:"shelf_name"`
}

// ShelfData is shelf_data (shelf_info in answers): the controls of the shelf, top to bottom.
type ShelfData struct {
	ModuleInfos []ShelfModule `json:"module_infos"`
}

// Kinds of shelf control (控件), the values of ShelfModule.EID. Controls 1 to 4 combine freely; control 5
// must be the shelf's only control.
const (
	ShelfModuleProducts    = 1 // 控件1: one group, showing Filter.Count of its products
	ShelfModuleGroupNames  = 2 // 控件2: up to 4 groups, by name
	ShelfModuleGroupImage  = 3 // 控件3: one group, shown as an image
	ShelfModuleGroupImages = 4 // 控件4: up to 3 groups, each shown as an image
	ShelfModuleBackground  = 5 // 控件5: groups by name over a background image
)

// Limits on the groups of a control, from the manual.
const (
	MaxShelfGroupNames  = 4 // 控件2
	MaxShelfGroupImages = 3 // 控件4
)

// ShelfModule is one entry of module_infos. The five kinds of control have different shapes, so the
// parts that only some kinds have are pointers or omitted when empty; build one with the NewShelfModule
// functions, which give exactly the manual's shape for each kind.
type ShelfModule struct {
	GroupInfo  *ShelfGroupInfo  `json:"group_info,omitempty"`  // controls 1 and 3
	GroupInfos *ShelfGroupInfos `json:"group_infos,omitempty"` // controls 2, 4 and 5
	EID        int              `json:"eid"`
}

// ShelfGroupInfo is the group_info of controls 1 (with Filter) and 3 (with Img).
type ShelfGroupInfo struct {
	Filter  *ShelfFilter `json:"filter,omitempty"`
	GroupID int64        `json:"group_id"`
	Img     string       `json:"img,omitempty"` // a URL from UploadImage (600*208 suggested)
}

// ShelfFilter is how many of the group's products control 1 shows.
type ShelfFilter struct {
	Count int `json:"count"`
}

// ShelfGroupInfos is the group_infos of controls 2, 4 (groups with Img) and 5 (with ImgBackground).
type ShelfGroupInfos struct {
	Groups        []ShelfGroup `json:"groups"`
	ImgBackground string       `json:"img_background,omitempty"` // a URL from UploadImage (640*1008 suggested)
}

// ShelfGroup is one entry of groups; Img only in control 4.
type ShelfGroup struct {
	GroupID int64  `json:"group_id"`
	Img     string `json:"img,omitempty"` // a URL from UploadImage
}

// NewShelfModuleProducts is control 1: count products of the group.
func NewShelfModuleProducts(groupID int64, count int) ShelfModule {
	return ShelfModule{
		GroupInfo: &ShelfGroupInfo{Filter: &ShelfFilter{Count: count}, GroupID: groupID},
		EID:       ShelfModuleProducts,
	}
}

// NewShelfModuleGroupNames is control 2: the names of up to MaxShelfGroupNames groups.
func NewShelfModuleGroupNames(groupIDs ...int64) ShelfModule {
	return ShelfModule{GroupInfos: &ShelfGroupInfos{Groups: shelfGroups(groupIDs)}, EID: ShelfModuleGroupNames}
}

// NewShelfModuleGroupImage is control 3: one group shown as the image img.
func NewShelfModuleGroupImage(groupID int64, img string) ShelfModule {
	return ShelfModule{GroupInfo: &ShelfGroupInfo{GroupID: groupID, Img: img}, EID: ShelfModuleGroupImage}
}

// NewShelfModuleGroupImages is control 4: up to MaxShelfGroupImages groups, each with its Img.
func NewShelfModuleGroupImages(groups ...ShelfGroup) ShelfModule {
	return ShelfModule{
		GroupInfos: &ShelfGroupInfos{Groups: append([]ShelfGroup{}, groups...)},
		EID:        ShelfModuleGroupImages,
	}
}

// NewShelfModuleBackground is control 5: the names of the groups over the image background.
func NewShelfModuleBackground(background string, groupIDs ...int64) ShelfModule {
	return ShelfModule{
		GroupInfos: &ShelfGroupInfos{Groups: shelfGroups(groupIDs), ImgBackground: background},
		EID:        ShelfModuleBackground,
	}
}

func shelfGroups(ids []int64) []ShelfGroup {
	groups := make([]ShelfGroup, len(ids))
	for i, id := range ids {
		groups[i] = ShelfGroup{GroupID: id}
	}
	return groups
}

// Validate checks d against the manual's rules for controls: the shape of each kind, the group limits,
// the images, and that control 5 stands alone. CreateShelf and UpdateShelf do not call it, because the
// manual's own shelf/add example breaks the last rule; it is for forms that want to say what is wrong
// before WeChat does.
func (d ShelfData) Validate() error {
	if len(d.ModuleInfos) == 0 {
		return fmt.Errorf("wx: shelf has no controls")
	}
	for i, m := range d.ModuleInfos {
		if err := m.validate(); err != nil {
			return fmt.Errorf("wx: shelf control %d: %w", i+1, err)
		}
		if m.EID == ShelfModuleBackground && len(d.ModuleInfos) > 1 {
			return fmt.Errorf("wx: shelf control %d: control 5 cannot be combined with other controls", i+1)
		}
	}
	return nil
}

func (m ShelfModule) validate() error {
	var groups []ShelfGroup
	switch m.EID {
	case ShelfModuleProducts, ShelfModuleGroupImage:
		gi := m.GroupInfo
		if gi == nil || m.GroupInfos != nil {
			return fmt.Errorf("control %d needs group_info and no group_infos", m.EID)
		}
		if gi.GroupID <= 0 {
			return fmt.Errorf("control %d has no group", m.EID)
		}
		if m.EID == ShelfModuleProducts && (gi.Filter == nil || gi.Filter.Count <= 0) {
			return fmt.Errorf("control 1 needs a positive product count")
		}
		if m.EID == ShelfModuleGroupImage && gi.Img == "" {
			return fmt.Errorf("control 3 needs an image")
		}
		return nil
	case ShelfModuleGroupNames, ShelfModuleGroupImages, ShelfModuleBackground:
		if m.GroupInfos == nil || m.GroupInfo != nil {
			return fmt.Errorf("control %d needs group_infos and no group_info", m.EID)
		}
		groups = m.GroupInfos.Groups
	default:
		return fmt.Errorf("eid %d is not a control (1 to 5)", m.EID)
	}
	if len(groups) == 0 {
		return fmt.Errorf("control %d has no groups", m.EID)
	}
	if m.EID == ShelfModuleGroupNames && len(groups) > MaxShelfGroupNames {
		return fmt.Errorf("control 2 has %d groups, at most %d allowed", len(groups), MaxShelfGroupNames)
	}
	if m.EID == ShelfModuleGroupImages && len(groups) > MaxShelfGroupImages {
		return fmt.Errorf("control 4 has %d groups, at most %d allowed", len(groups), MaxShelfGroupImages)
	}
	if m.EID == ShelfModuleBackground && m.GroupInfos.ImgBackground == "" {
		return fmt.Errorf("control 5 needs a background image")
	}
	for _, g := range groups {
		if g.GroupID <= 0 {
			return fmt.Errorf("control %d has a group without id", m.EID)
		}
		if m.EID == ShelfModuleGroupImages && g.Img == "" {
			return fmt.Errorf("control 4 needs an image for group %d", g.GroupID)
		}
	}
	return nil
}

// shelfRequest is the body of shelf/add (without ShelfID) and shelf/mod.
type shelfRequest struct {
	ShelfID     int64     `json:"shelf_id,omitempty"`
	ShelfData   ShelfData `json:"shelf_data"`
	ShelfBanner string    `json:"shelf_banner,omitempty"`
	ShelfName   string    `json:"shelf_name"`
}

func (s *Shelf) request(path string, withID bool) (*shelfRequest, error) {
	if s == nil {
		return nil, fmt.Errorf("wx: %s: no shelf", path)
	}
	if s.ShelfName == "" {
		return nil, fmt.Errorf("wx: %s: empty shelf name", path)
	}
	if len(s.ShelfInfo.ModuleInfos) == 0 {
		return nil, fmt.Errorf("wx: %s: shelf has no controls", path)
	}
	req := &shelfRequest{ShelfData: s.ShelfInfo, ShelfBanner: s.ShelfBanner, ShelfName: s.ShelfName}
	if withID {
		if s.ShelfID <= 0 {
			return nil, errNoShelfID(path, s.ShelfID)
		}
		req.ShelfID = s.ShelfID
	}
	return req, nil
}

// CreateShelf adds s (its ShelfID is not sent) and returns the new shelf's id.
func (c *Client) CreateShelf(ctx context.Context, s *Shelf) (int64, error) {
	const path = "/merchant/shelf/add"
	req, err := s.request(path, false)
	if err != nil {
		return 0, err
	}
	var ans struct {
		ShelfID int64 `json:"shelf_id"`
	}
	if err := c.PostWrite(ctx, path, req, &ans); err != nil {
		return 0, err
	}
	if ans.ShelfID == 0 {
		return 0, fmt.Errorf("wx: %s: answer has no shelf_id", path)
	}
	return ans.ShelfID, nil
}

// DeleteShelf deletes the shelf.
func (c *Client) DeleteShelf(ctx context.Context, shelfID int64) error {
	const path = "/merchant/shelf/del"
	if shelfID <= 0 {
		return errNoShelfID(path, shelfID)
	}
	return c.PostWrite(ctx, path, shelfIDRequest{shelfID}, nil)
}

// UpdateShelf replaces the shelf s.ShelfID with s.
func (c *Client) UpdateShelf(ctx context.Context, s *Shelf) error {
	const path = "/merchant/shelf/mod"
	req, err := s.request(path, true)
	if err != nil {
		return err
	}
	return c.PostWrite(ctx, path, req, nil)
}

// Shelves returns every shelf of the shop. The manual documents this call as a GET without a body.
func (c *Client) Shelves(ctx context.Context) ([]Shelf, error) {
	var ans struct {
		Shelves []Shelf `json:"shelves"`
	}
	if err := c.GetRead(ctx, "/merchant/shelf/getall", nil, &ans); err != nil {
		return nil, err
	}
	return ans.Shelves, nil
}

// GetShelf returns one shelf. Its answer is the shelf itself, beside errcode.
func (c *Client) GetShelf(ctx context.Context, shelfID int64) (*Shelf, error) {
	const path = "/merchant/shelf/getbyid"
	if shelfID <= 0 {
		return nil, errNoShelfID(path, shelfID)
	}
	var ans Shelf
	if err := c.PostRead(ctx, path, shelfIDRequest{shelfID}, &ans); err != nil {
		return nil, err
	}
	if ans.ShelfID == 0 {
		return nil, fmt.Errorf("wx: %s: answer has no shelf_id", path)
	}
	return &ans, nil
}

type shelfIDRequest struct {
	ShelfID int64 `json:"shelf_id"`
}

func errNoShelfID(path string, id int64) error {
	return fmt.Errorf("wx: %s: shelf id %d is not a shelf id", path, id)
}
