package sandbox

import "fmt"

// Error codes of the catalog calls (products, categories, stock, images) and of the storefront calls (postage
// templates, groups, shelves), all in one table.
//
// The V1.13 merchant manual publishes no error codes, so the sandbox answers WeChat's global codes where one
// fits, and gives each rule of the manual a code of its own from the block 9402001-9402099, which WeChat's
// global table leaves free (the mini-shop's "invalid parameter" is 9401020 next door). Distinct codes let the
// app tell the operator which rule a product broke; the errmsg adds which field and value.
//
//	code     errmsg                                  when
//	40097    invalid args                            a field is missing or out of range: no name, no main_img,
//	                                                 not one category_id, price <= 0, a negative stock, a stock
//	                                                 change <= 0, a status that is not 0/1 (modproductstatus)
//	                                                 or 0/1/2 (getbystatus), no cate_id, no product_id, a bad
//	                                                 attrext flag or delivery_info, no filename on upload_img;
//	                                                 a template without Name or TopFee, Assumer not 0/1, a
//	                                                 TopFee Type that is not a known courier or given twice,
//	                                                 a negative fee or standard, StartStandards < 1, a
//	                                                 destination given twice; no template_id, group_id or
//	                                                 shelf_id, an empty group_name or shelf_name, a product
//	                                                 listed twice, productmod without products or with a
//	                                                 mod_action that is not 0/1, a shelf without controls
//	47001    data format error                       the body is not the JSON the call takes (respond.go)
//	40005    invalid file type                       upload_img: the bytes are not a JPEG, PNG or GIF
//	40006    invalid media size                      upload_img: more than 2 MB
//	44001    empty media data                        upload_img: no bytes at all
//	9402001  product not exist                       product_id (or an id of a group's product_list or of
//	                                                 productmod) is not a product of the shop
//	9402002  category not exist                      cate_id / category_id is not a category WeChat knows
//	9402003  category is not a leaf                  a product's category_id has sub-categories
//	9402004  invalid property                        property id not in the category's properties, vid not
//	                                                 among that property's values, or an id given twice
//	9402005  invalid sku_info                        sku_info id not in the category's SKU table, vid not in
//	                                                 that attribute's value_list (neither a custom "$text"), an
//	                                                 empty or repeated vid list, an attribute given twice
//	9402006  sku_id does not match sku_info          a sku_id that does not name every sku_info attribute once
//	                                                 with one of its listed vids, a repeated sku_id, or a
//	                                                 product without sku_info that has not exactly one SKU ""
//	9402007  price must be lower than ori_price      a SKU whose 微信价 is not below its 原价
//	9402008  image url not uploaded                  main_img, img, a detail img or an icon_url, or a shelf's
//	                                                 shelf_banner, img or img_background, that is not a URL
//	                                                 the sandbox handed out (upload_img or demo data)
//	9402009  field cannot be modified after on sale  update changes name, category_id or property of a
//	                                                 product that has ever been on sale
//	9402010  sku not exist                           stock/add, stock/reduce: sku_info is none of the
//	                                                 product's sku_ids
//	9402011  stock not enough                        stock/reduce would take the stock below zero
//	9402012  template not exist                      template_id (express/*, or a product's delivery_info) is
//	                                                 not a postage template of the shop
//	9402013  template is used by products            express/del of a template a product's delivery_info names
//	9402014  region not exist                        a Custom rule whose DestCountry is not 中国, DestProvince
//	                                                 not a province of the manual's region list, or DestCity
//	                                                 not a city of that province
//	9402015  valuation not supported                 Valuation 1 (weight) or 2 (volume): WeChat counts pieces
//	                                                 only; any other value is 40097
//	9402016  group not exist                         group_id (group/*, or a shelf control) is not a group
//	9402017  group name already exists               group/add or propertymod with another group's name
//	9402018  group is used by shelves                group/del of a group a shelf control names
//	9402019  product already in group                productmod adds a product the group holds
//	9402020  product not in group                    productmod removes a product the group does not hold
//	9402021  shelf not exist                         shelf_id is not a shelf of the shop
//	9402022  invalid shelf control                   eid not 1..5, or a control not shaped as 5.1.4 says:
//	                                                 1 one group_info with filter.count >= 1; 2 group_infos
//	                                                 with 1..4 groups; 3 one group_info with img; 4 group_infos
//	                                                 with 1..3 groups, each with img; 5 group_infos with groups
//	                                                 and img_background; and no field the control does not take
//	9402023  control 5 cannot be combined            a shelf with control 5 and any other control, or with a
//	                                                 shelf_banner (5.1.4.5; the manual's own shelf/add example
//	                                                 breaks this rule and is refused)
//
// The order calls use the same block for the rules of the merchant manual's orders (section 6); the other
// order codes come from the documents (shop-order-get.md, channels-order-list-get.md,
// shopping-order-permission-open.md) and from WeChat's own answers to Channels shipping (101100, 109000-109002,
// see wx.CodeChannelsOrderState), and are declared beside their calls (orders_shop.go, orders_channels.go,
// permission.go):
//
//	code       errmsg                                 when
//	40097      invalid args                           a field missing or out of range: order_id, shop_appid,
//	                                                  delivery_company, delivery_track_no; getbyfilter status
//	                                                  not 2/3/5/8 or begintime after endtime; list/get without
//	                                                  a range, a range over 7 days or backwards, page_size not
//	                                                  1..100, a status not 10/20/21/30/100/250; delivery/send
//	                                                  with deliver_type not 1 or 3, deliver_type 3 for an order
//	                                                  whose deliver_method is not 1, product_cnt < 1
//	101100     , 订单状态错误,不允许执行此操作         delivery/send of a Channels order not in 20/21 (to pay,
//	                                                  cancelled)
//	109000     发货失败                               delivery/send: a product_id/sku_id pair not among the
//	                                                  order's lines; more pieces of a line, over the whole
//	                                                  request, than ordered less those already shipped; the
//	                                                  same delivery_id and waybill_id in two parcels
//	109001     已经发货                               delivery/send of a Channels order in 30 or 100
//	109002     发货信息不完整                         delivery/send without parcels, a parcel without
//	                                                  delivery_id or waybill_id (deliver_type 1), or without
//	                                                  product_infos
//	100003     订单更新过于频繁,更新订单失败,请重试     delivery/send: more than orderUpdateLimit (3) calls naming
//	                                                  the order within orderUpdateWindow (10 s); see tooOften
//	48001      api unauthorized                       any order call of a source Options.OrderSources (or
//	                                                  SetOrderSource) made unavailable, and every after-sale
//	                                                  call when the Channels source is
//	100002     order not exist                        product/order/get, channels order/get and delivery/send,
//	                                                  cooperation/order/get (also: the store is not shop_appid)
//	9401020    invalid parameter                      product/order/get: order_id missing or not a number
//	31042      too many orders in request...          list/get: more than Options.ChannelsWindowLimit orders
//	                                                  (2000) match the request
//	606006     next_key does not match the request    list/get: next_key sent with any other field changed, or
//	                                                  not one the sandbox made
//	268486612  current permission state does not...   orders-permission/open when already open
//	268486640  please read and confirm the agreement  orders-permission/open, PermissionNeedsAgreement
//	268485215  appid is not in the range...           orders-permission/open, PermissionOutOfRange
//	9402024    order not exist                        merchant order/*: order_id is not an order of the shop
//	9402025    order already shipped                  setdelivery or close of a merchant order that has left
//	                                                  (3, 5, or 8 after shipping)
//	9402026    order status does not allow this       setdelivery of a merchant order not in 2 (closed, or in
//	                                                  dispute before shipping); close of a closed one
//	9402027    delivery company not exist             setdelivery: delivery_company is not an id of the
//	                                                  manual's 物流公司ID table (wx.MerchantCouriers)
var (
	errInvalidArgs      = &apiError{40097, "invalid args"}
	errInvalidFileType  = &apiError{40005, "invalid file type"}
	errInvalidMediaSize = &apiError{40006, "invalid media size"}
	errEmptyMedia       = &apiError{44001, "empty media data"}

	errProductNotFound  = &apiError{9402001, "product not exist"}
	errCategoryNotFound = &apiError{9402002, "category not exist"}
	errCategoryNotLeaf  = &apiError{9402003, "category is not a leaf"}
	errInvalidProperty  = &apiError{9402004, "invalid property"}
	errInvalidSKUInfo   = &apiError{9402005, "invalid sku_info"}
	errSKUIDMismatch    = &apiError{9402006, "sku_id does not match sku_info"}
	errPriceNotBelowOri = &apiError{9402007, "price must be lower than ori_price"}
	errImageNotOurs     = &apiError{9402008, "image url not uploaded"}
	errFrozenField      = &apiError{9402009, "field cannot be modified after on sale"}
	errSKUNotFound      = &apiError{9402010, "sku not exist"}
	errStockNotEnough   = &apiError{9402011, "stock not enough"}

	errTemplateNotFound  = &apiError{9402012, "template not exist"}
	errTemplateInUse     = &apiError{9402013, "template is used by products"}
	errRegionNotFound    = &apiError{9402014, "region not exist"}
	errValuation         = &apiError{9402015, "valuation not supported"}
	errGroupNotFound     = &apiError{9402016, "group not exist"}
	errGroupNameTaken    = &apiError{9402017, "group name already exists"}
	errGroupInUse        = &apiError{9402018, "group is used by shelves"}
	errProductInGroup    = &apiError{9402019, "product already in group"}
	errProductNotInGroup = &apiError{9402020, "product not in group"}
	errShelfNotFound     = &apiError{9402021, "shelf not exist"}
	errShelfControl      = &apiError{9402022, "invalid shelf control"}
	errControl5Alone     = &apiError{9402023, "control 5 cannot be combined"}

	errOrderNotFound   = &apiError{9402024, "order not exist"}
	errOrderShipped    = &apiError{9402025, "order already shipped"}
	errOrderStatus     = &apiError{9402026, "order status does not allow this"}
	errCourierNotFound = &apiError{9402027, "delivery company not exist"}
	errUpdatedTooOften = &apiError{100003, "订单更新过于频繁,更新订单失败,请重试"}
)

// with returns a copy of e whose errmsg says what exactly was wrong, e.g.
// "price must be lower than ori_price: sku_id \"1075741873:1079742360\" price 300, ori_price 300".
// The code is unchanged, so clients still branch on it.
func (e *apiError) with(format string, args ...any) *apiError {
	return &apiError{Code: e.Code, Msg: e.Msg + ": " + fmt.Sprintf(format, args...)}
}
