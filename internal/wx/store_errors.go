package wx

// The 微信小店 catalog's own error codes (1002xxxx), from the code lists of shared/api/store (product.md,
// stock.md, image.md, freight.md). They join codeMeanings at start; a code another area already explains
// keeps its explanation.

// Codes the catalog acts on.
const (
	CodeStoreInAudit      = 10020049 // in audit: cancel the audit first
	CodeStoreNotInAudit   = 10020044
	CodeStoreUploading    = 10020067
	CodeStoreNoProduct    = 10020052
	CodeStoreNeverListed  = 10020289
	CodeStoreStockState   = 10020217
	CodeStoreStockTooLow  = 10020219
	CodeStoreBadImageURL  = 10020035
	CodeFreightNameTaken  = 10021200
	CodeFreightNoTemplate = 10020005
	// CodeShopTreeVersion is the sandbox's own answer to a stale version: tree/set's page (read 2026-12) names no
	// code for it, so the app tells a stale version by reading the tree again after any refusal, never by this.
	CodeShopTreeVersion    = 10020404
	CodeInterfaceRetired   = 1400007 // reported as "interface retired"; unverified, treated like 48001
	CodeAPIUnauthorized    = 48001
	CodeStoreTitleIllegal  = 10020045
	CodeStoreTitleTooShort = 10020042
)

func init() {
	for code, m := range storeCodeMeanings {
		if _, ok := codeMeanings[code]; !ok {
			codeMeanings[code] = m
		}
	}
}

var storeCodeMeanings = map[int]meaning{
	1400007:  {"该接口已下线：这个账号的商品接口已经停用，请确认店铺类型（微信小店使用新接口）。", "This API has been retired for the account. Check which kind of shop it is (a WeChat Store uses the new API)."},
	10020005: {"运费模板不存在，请刷新模板列表。", "The freight template does not exist. Refresh the template list."},
	10020008: {"商品当前状态不允许编辑。", "The product cannot be edited in its current state."},
	10020011: {"类目层级不正确：旧类目需要正好三级。", "The category path has the wrong length: the old tree needs exactly three levels."},
	10020012: {"销售属性不属于所选的叶子类目，请按类目的销售属性填写规格。", "A sale attribute does not belong to the chosen leaf category. Use the category's sale attributes for the SKUs."},
	10020013: {"SKU 数量需在 1 到 500 之间。", "A product needs 1 to 500 SKUs."},
	10020014: {"商品正在参加限时抢购，不能修改 SKU。", "The product is in a flash sale: its SKUs cannot change."},
	10020017: {"类目无效，请换一个类目。", "The category is not valid. Choose another one."},
	10020018: {"店铺没有该类目的资质，请先在微信小店后台申请类目。", "The shop lacks the qualification for this category. Apply for it in the WeChat Store backend first."},
	10020019: {"运费模板无效，请重新选择运费模板。", "The freight template is not valid. Choose the template again."},
	10020020: {"商品标题不能为空。", "The product title is empty."},
	10020021: {"商品标题太长（最多 60 个字）。", "The product title is too long (at most 60 characters)."},
	10020022: {"缺少商品主图，请上传 3 到 9 张主图。", "Head images are missing: upload 3 to 9."},
	10020023: {"商品主图太多（最多 9 张）。", "Too many head images (at most 9)."},
	10020024: {"商品详情太长。", "The product description is too long."},
	10020025: {"详情图片太多。", "Too many detail images."},
	10020026: {"详情文字太长。", "The detail text is too long."},
	10020027: {"资质图片太多。", "Too many qualification images."},
	10020028: {"SKU 价格太高。", "A SKU's price is too high."},
	10020029: {"SKU 编码太长（最多 100 个字符）。", "A SKU code is too long (at most 100 characters)."},
	10020031: {"同一个销售属性的取值超过 100 个。", "One sale attribute has more than 100 values."},
	10020032: {"销售属性名称太长（最多 40 个字符）。", "A sale attribute name is too long (at most 40 characters)."},
	10020033: {"销售属性取值太长。", "A sale attribute value is too long."},
	10020035: {"图片或视频地址不合法：必须是通过微信小店图片上传得到的 mmecimage.cn/p/ 地址。", "An image or video URL is not allowed: it must be an mmecimage.cn/p/ URL from the store's image upload."},
	10020036: {"商家自定义商品 ID（out_product_id）太长。", "out_product_id is too long."},
	10020037: {"商家自定义 SKU ID（out_sku_id）太长。", "out_sku_id is too long."},
	10020038: {"商品没有 SKU，不能上架。", "A product without SKUs cannot be listed."},
	10020039: {"SKU 价格不能为 0。", "A SKU's price cannot be 0."},
	10020040: {"售价不能高于市场价。", "The sale price cannot be above the market price."},
	10020041: {"账号正在注销，不能操作商品。", "The account is being closed: products cannot be changed."},
	10020042: {"商品标题太短：至少需要 5 个有效字符（汉字、字母或数字）。", "The product title is too short: it needs at least 5 valid characters (Chinese characters, letters or digits)."},
	10020043: {"类目不可用，请换一个类目。", "The category cannot be used. Choose another one."},
	10020044: {"商品不在审核中，无需撤回审核。", "The product is not in audit, so there is no audit to cancel."},
	10020045: {"商品标题不合规：不能只有字母、数字或符号，也不能含有不允许的字符。", "The product title is not allowed: it cannot be only letters, digits or symbols, nor contain characters outside the allowed set."},
	10020049: {"商品正在审核中，不能编辑、删除或上架；请先撤回审核。", "The product is in audit: it cannot be edited, deleted or listed. Cancel the audit first."},
	10020050: {"没有操作该商品或接口的权限。", "No permission for this product or API."},
	10020051: {"参数错误，请检查填写的内容。", "Invalid parameters. Check what was entered."},
	10020052: {"商品不存在（或从未成功上架过）。", "The product does not exist (or was never listed successfully)."},
	10020054: {"更新库存失败，请稍后重试。", "The stock update failed. Try again later."},
	10020055: {"参数错误，请检查填写的内容。", "Invalid parameters. Check what was entered."},
	10020056: {"图片格式不支持（支持 jpg、png、bmp、webp）。", "The image format is not supported (jpg, png, bmp, webp)."},
	10020057: {"获取源图片超时（超过 2 秒）。", "Fetching the source image took more than 2 seconds."},
	10020058: {"图片上传失败，请重试。", "The image upload failed. Try again."},
	10020059: {"图片是空的。", "The image is empty."},
	10020060: {"图片太大（最大 10 MB）。", "The image is too large (at most 10 MB)."},
	10020061: {"图片地址无效（mmecimage.cn/p/ 地址无需再上传）。", "The image URL is not valid (an mmecimage.cn/p/ URL needs no upload)."},
	10020067: {"商品正在异步上传中，暂时不能上架；请等待上传完成。", "The product is still being uploaded: it cannot be listed until the upload has finished."},
	10020091: {"该商品类型不支持此操作。", "This product type does not support the operation."},
	10020110: {"商品校验失败，具体原因见错误信息。", "The product failed a check; the error message says why."},
	10020112: {"该 SKU 的库存更新太频繁，请稍后再试。", "This SKU's stock is updated too often. Try again later."},
	10020193: {"源图片地址发生了跳转（301/302），请使用直接的图片地址。", "The source image URL redirects (301/302). Use the image's direct URL."},
	10020217: {"商品当前状态不允许修改库存（例如正在审核中）。", "The product's current state does not allow a stock change (it may be in audit)."},
	10020218: {"增加或减少的库存数量不能为 0。", "The amount to add or reduce cannot be 0."},
	10020219: {"库存不足，不能减少这么多。", "Not enough stock to reduce by that much."},
	10020220: {"设置的库存超过了券码数量。", "The stock set is above the number of voucher codes."},
	10020253: {"源图片地址返回 404。", "The source image URL answers 404."},
	10020254: {"源图片地址的路径含有 //。", "The source image URL's path contains //."},
	10020289: {"商品从未成功上架，还不能修改库存；库存以提交时填写的为准。", "The product was never listed successfully, so its stock cannot be changed yet: it is what the product was submitted with."},
	10020294: {"图片格式不允许（仅 jpeg/png/bmp/webp，不能是动图）。", "The image format is not allowed (jpeg/png/bmp/webp only, no animation)."},
	10020331: {"源图片的响应缺少 Content-Length。", "The source image's response has no Content-Length."},
	10020404: {"店铺分类已在别处被修改，请重新加载后再改。", "The shop categories were changed elsewhere. Reload them and make the change again."},
	10021053: {"默认运费规则不能指定地区。", "The default freight rule must not name regions."},
	10021054: {"省、市或区县名称无效，请使用国家标准地区名称。", "A province, city or county name is not valid. Use the national standard region names."},
	10021055: {"运费模板必须包含一条默认规则。", "A freight template needs a default rule."},
	10021081: {"缺少发货地址。", "The ship-from address is missing."},
	10021082: {"发货时间不合法。", "The ship-within time is not valid."},
	10021200: {"运费模板名称已存在，请换一个名称。", "A freight template with this name already exists. Choose another name."},
	10025501: {"不能把全国都设为不配送地区。", "The whole country cannot be set as not delivered to."},
	10025502: {"快递公司太多。", "Too many couriers."},
	10025503: {"条件包邮规则太多。", "Too many conditional free-shipping rules."},
	10025504: {"运费计算规则太多。", "Too many fee rules."},
}
