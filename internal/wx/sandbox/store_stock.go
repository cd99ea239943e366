package sandbox

import "wxshop/internal/wx"

// 微信小店 stock (shared/api/store/stock.md): per SKU, changed at once on both copies, only for products listed
// at least once (10020289) and not in audit (10020217); 10020218 for a change of 0, 10020219 for a reduction
// below zero, 10020051 for an unknown SKU. A product on sale whose stock runs out is 售罄 (12); stock added to
// it puts it back on sale (the pages do not say; the sandbox's choice).

func (sp *storeProduct) sku(id wx.ID) (*wx.StoreSKU, bool) {
	for i := range sp.draft.SKUs {
		if sp.draft.SKUs[i].SKUID == id {
			return &sp.draft.SKUs[i], true
		}
	}
	return nil, false
}

func (s *Server) updateStoreStock(c *call) (any, error) {
	var req struct {
		ProductID wx.ID `json:"product_id"`
		SKUID     wx.ID `json:"sku_id"`
		DiffType  int   `json:"diff_type"`
		Num       int64 `json:"num"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.lookupStore(req.ProductID)
	if err != nil {
		return nil, err
	}
	switch {
	case !sp.everListed:
		return nil, &apiError{10020289, "product never listed successfully"}
	case sp.editStatus == wx.StoreEditInAudit:
		return nil, &apiError{10020217, "current status does not allow stock update"}
	case req.DiffType < wx.StockAdd || req.DiffType > wx.StockSet || req.Num < 0:
		return nil, errStoreBadParam.with("diff_type %d, num %d", req.DiffType, req.Num)
	case req.Num == 0 && req.DiffType != wx.StockSet:
		return nil, &apiError{10020218, "diff num is 0"}
	}
	k, found := sp.sku(req.SKUID)
	if !found {
		return nil, errStoreBadParam.with("sku_id %s is not a SKU of product %s", req.SKUID, sp.id)
	}
	stock := k.StockNum
	switch req.DiffType {
	case wx.StockAdd:
		stock += req.Num
	case wx.StockReduce:
		if req.Num > stock {
			return nil, &apiError{10020219, "stock not enough"}
		}
		stock -= req.Num
	case wx.StockSet:
		stock = req.Num
	}
	k.StockNum = stock
	if sp.online != nil {
		for i := range sp.online.SKUs {
			if sp.online.SKUs[i].SKUID == req.SKUID {
				sp.online.SKUs[i].StockNum = stock
			}
		}
		switch total := storeTotalStock(sp.online); {
		case total == 0 && sp.status == wx.StoreStatusOnSale:
			sp.status = wx.StoreStatusSoldOut
		case total > 0 && sp.status == wx.StoreStatusSoldOut:
			sp.status = wx.StoreStatusOnSale
		}
	}
	return statusOK, nil
}

func skuStock(k *wx.StoreSKU) wx.StoreStock {
	return wx.StoreStock{NormalStockNum: wx.FlexInt(k.StockNum), TotalStockNum: wx.FlexInt(k.StockNum),
		WarehouseStocks: []wx.StoreWarehouseStock{}}
}

func (s *Server) getStoreStock(c *call) (any, error) {
	var req struct {
		ProductID wx.ID `json:"product_id"`
		SKUID     wx.ID `json:"sku_id"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.lookupStore(req.ProductID)
	if err != nil {
		return nil, err
	}
	k, found := sp.sku(req.SKUID)
	if !found {
		return nil, errStoreBadParam.with("sku_id %s is not a SKU of product %s", req.SKUID, sp.id)
	}
	return struct {
		status
		Data wx.StoreStock `json:"data"`
	}{statusOK, skuStock(k)}, nil
}

func (s *Server) batchGetStoreStock(c *call) (any, error) {
	var req struct {
		ProductID []wx.ID `json:"product_id"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if len(req.ProductID) == 0 || len(req.ProductID) > wx.MaxStockBatch {
		return nil, errStoreBadParam.with("%d products, want 1–%d", len(req.ProductID), wx.MaxStockBatch)
	}
	var list []wx.StoreProductStock
	for _, id := range req.ProductID {
		sp, err := s.lookupStore(id)
		if err != nil {
			return nil, err
		}
		ps := wx.StoreProductStock{ProductID: id}
		for i := range sp.draft.SKUs {
			st := skuStock(&sp.draft.SKUs[i])
			st.SKUID = sp.draft.SKUs[i].SKUID
			ps.SKUStock = append(ps.SKUStock, st)
		}
		list = append(list, ps)
	}
	var ans struct {
		status
		Data struct {
			SPUStockList []wx.StoreProductStock `json:"spu_stock_list"`
		} `json:"data"`
	}
	ans.status, ans.Data.SPUStockList = statusOK, list
	return ans, nil
}
