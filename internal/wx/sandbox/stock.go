package sandbox

// Stock (manual section 2): stock/add and stock/reduce change the quantity of one SKU of a product, the same
// quantity that sku_list carries in merchant/get.

type stockRequest struct {
	ProductID string `json:"product_id"`
	SKUInfo   string `json:"sku_info"` // a sku_id of the product, compared as is; "" for a uniform product
	Quantity  int    `json:"quantity"`
}

// addStock is POST /merchant/stock/add.
func (s *Server) addStock(c *call) (any, error) {
	return s.changeStock(c, 1)
}

// reduceStock is POST /merchant/stock/reduce. The stock never goes below zero: taking more than there is
// changes nothing and answers errStockNotEnough.
func (s *Server) reduceStock(c *call) (any, error) {
	return s.changeStock(c, -1)
}

func (s *Server) changeStock(c *call, sign int) (any, error) {
	var req stockRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.products.lookup(req.ProductID)
	if err != nil {
		return nil, err
	}
	if req.Quantity <= 0 {
		return nil, errInvalidArgs.with("quantity %d must be positive", req.Quantity)
	}
	var sku *int
	for i := range sp.p.SKUList {
		if sp.p.SKUList[i].SKUID == req.SKUInfo {
			sku = &sp.p.SKUList[i].Quantity
			break
		}
	}
	switch {
	case sku == nil:
		return nil, errSKUNotFound.with("product %q has no sku_id %q", req.ProductID, req.SKUInfo)
	case sign > 0 && req.Quantity > maxQuantity-*sku:
		return nil, errInvalidArgs.with("stock %d + %d would exceed %d", *sku, req.Quantity, maxQuantity)
	case sign < 0 && req.Quantity > *sku:
		return nil, errStockNotEnough.with("sku_id %q has %d, cannot take %d", req.SKUInfo, *sku, req.Quantity)
	}
	*sku += sign * req.Quantity
	return statusSuccess, nil
}
