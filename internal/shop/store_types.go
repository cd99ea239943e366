package shop

import "wxshop/internal/wx"

// The 微信小店 catalog's data as WeChat defines it (internal/wx), named here so that the pages work with the
// shop's words and need not import the WeChat client.
type (
	StoreID               = wx.ID
	StoreProductData      = wx.StoreProductData
	StoreProduct          = wx.StoreProduct
	StoreProductAnswer    = wx.StoreProductAnswer
	StoreSKU              = wx.StoreSKU
	StoreAttr             = wx.StoreAttr
	StoreCatRef           = wx.StoreCatRef
	StoreDescInfo         = wx.StoreDescInfo
	StoreExtraService     = wx.StoreExtraService
	StoreExpressInfo      = wx.StoreExpressInfo
	StoreSKUDeliverInfo   = wx.StoreSKUDeliverInfo
	StoreQuaInfo          = wx.StoreQuaInfo
	StoreAfterSaleRef     = wx.StoreAfterSaleRef
	StoreProductAttr      = wx.StoreProductAttr
	StoreCategory         = wx.StoreCategory
	StoreSubCategories    = wx.StoreSubCategories
	StoreCategoryDetail   = wx.StoreCategoryDetail
	StoreBrand            = wx.StoreBrand
	FreightTemplate       = wx.FreightTemplate
	FreightCalcMethod     = wx.FreightCalcMethod
	FreightCalcMethods    = wx.FreightCalcMethods
	FreightAddress        = wx.FreightAddress
	FreightConditionFree  = wx.FreightConditionFree
	FreightConditionFrees = wx.FreightConditionFrees
	FreightNotSendArea    = wx.FreightNotSendArea
	ShopCategory          = wx.ShopCategory
	ShopSubCategory       = wx.ShopSubCategory
	ShopCategoryTree      = wx.ShopCategoryTree
	WindowProduct         = wx.WindowProduct
	MerchantAddress       = wx.AddressDetail // a return or ship-from address of the shop
)

// A product's online state (StoreProduct.Status) and its draft's (EditStatus), as WeChat numbers them.
const (
	StoreStatusOnSale   = wx.StoreStatusOnSale
	StoreStatusDelisted = wx.StoreStatusDelisted
	StoreStatusSoldOut  = wx.StoreStatusSoldOut

	StoreEditEditing   = wx.StoreEditEditing
	StoreEditInAudit   = wx.StoreEditInAudit
	StoreEditRejected  = wx.StoreEditRejected
	StoreEditPassed    = wx.StoreEditPassed
	StoreEditUploading = wx.StoreEditUploading
)

// The catalog's limits and fixed values.
const (
	StoreNoBrand         = wx.StoreNoBrand
	StoreImagePrefix     = wx.StoreImagePrefix
	StoreMinHeadImgs     = wx.StoreMinHeadImgs
	StoreMinHeadImgsFood = wx.StoreMinHeadImgsFood
	StoreMaxHeadImgs     = wx.StoreMaxHeadImgs
	StoreMaxDescImgs     = wx.StoreMaxDescImgs
	StoreMaxSKUs         = wx.StoreMaxSKUs
	StoreMaxSalePrice    = wx.StoreMaxSalePrice
	StoreMaxQuaImgs      = 10 // images of one product qualification

	MaxShopCategoryProducts = wx.MaxShopCategoryProducts

	FreightByPiece         = wx.ValuationPiece
	FreightByWeight        = wx.ValuationWeight
	FreightFree            = wx.ShippingFree
	FreightFreeOnCondition = wx.ShippingConditionFree
	FreightNoFree          = wx.ShippingNoFree
	SendWithin24Hours      = wx.SendTime24Hours
	SendWithin48Hours      = wx.SendTime48Hours
)

// WeChat's codes for the rules the pages check before sending, so that a refusal found first reads as
// WeChat's would.
const (
	CodeStoreInAudit       = wx.CodeStoreInAudit
	CodeStoreNotInAudit    = wx.CodeStoreNotInAudit
	CodeStoreUploading     = wx.CodeStoreUploading
	CodeStoreBadImageURL   = wx.CodeStoreBadImageURL
	CodeStoreNoSKU         = 10020013
	CodeStoreSKUCodeLong   = 10020029
	CodeStorePriceTooHigh  = 10020028
	CodeStorePriceZero     = 10020039
	CodeStoreOldTreeLevels = 10020011
	CodeFreightBadRegion   = 10021054
	CodeFreightNoSendAll   = 10025501
)

// StoreTitleCode is the code WeChat answers a product title with, 0 when the title is allowed.
func StoreTitleCode(title string) int { return wx.StoreTitleCode(title) }
