package wx

import (
	"context"
	"io"
	"net/http"
	"testing"
)

// A template by piece with a province rule, a city rule and a county rule inside that city, as the
// calculator reads it: the most specific rule for the destination charges.
func countyTemplate() FreightTemplate {
	return FreightTemplate{Name: "区县运费", ValuationType: ValuationPiece, ShippingMethod: ShippingNoFree,
		AddressInfo: FreightAddress{ProvinceName: "广东省", CityName: "广州市", CountyName: "海珠区"},
		AllFreightCalcMethod: &FreightCalcMethods{FreightCalcMethodList: []FreightCalcMethod{
			{IsDefault: true, FirstValAmount: 1, FirstPrice: 1000, SecondValAmount: 1, SecondPrice: 300},
			{AddressInfos: []FreightAddress{{ProvinceName: "广东省"}}, FirstValAmount: 1, FirstPrice: 600, SecondValAmount: 1, SecondPrice: 200},
			{AddressInfos: []FreightAddress{{ProvinceName: "广东省", CityName: "深圳市"}}, FirstValAmount: 2, FirstPrice: 500, SecondValAmount: 2, SecondPrice: 150},
			{AddressInfos: []FreightAddress{{ProvinceName: "广东省", CityName: "深圳市", CountyName: "南山区"}}, FirstValAmount: 1, FirstPrice: 0, SecondValAmount: 3, SecondPrice: 100},
		}},
		NotSendArea: &FreightNotSendArea{AddressInfos: []FreightAddress{{ProvinceName: "西藏自治区"}, {ProvinceName: "广东省", CityName: "珠海市", CountyName: "斗门区"}}},
	}
}

func TestFreightFeeByRegionDepth(t *testing.T) {
	ft := countyTemplate()
	for _, tc := range []struct {
		qty                    int
		province, city, county string
		want                   int64
		ok                     bool
	}{
		{1, "浙江省", "杭州市", "西湖区", 1000, true}, // default: 10
		{4, "浙江省", "杭州市", "西湖区", 1900, true}, // default: 10 + 3 × 3
		{3, "广东省", "广州市", "天河区", 1000, true}, // province rule: 6 + 2 × 2
		{3, "广东省", "深圳市", "福田区", 650, true},  // city rule: 5 for 2, 1 more begun block of 2: + 1.5
		{5, "广东省", "深圳市", "福田区", 800, true},  // city rule: 5 + ceil(3/2)=2 blocks × 1.5
		{5, "广东省", "深圳市", "南山区", 200, true},  // county rule: 0 for 1, ceil(4/3)=2 blocks × 1
		{1, "广东省", "深圳市", "南山区", 0, true},    // county rule: the first piece is free
		{2, "广东省", "珠海市", "香洲区", 800, true},  // another county of 珠海 takes the province rule
		{2, "广东省", "珠海市", "斗门区", 0, false},   // a county not delivered to
		{1, "西藏自治区", "拉萨市", "城关区", 0, false}, // a whole province not delivered to
	} {
		got, ok := ft.FreightFee(tc.qty, 0, tc.province, tc.city, tc.county)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%d to %s%s%s = %d, %v; want %d, %v", tc.qty, tc.province, tc.city, tc.county, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFreightFeeByWeight(t *testing.T) {
	ft := FreightTemplate{ValuationType: ValuationWeight, ShippingMethod: ShippingNoFree,
		AllFreightCalcMethod: &FreightCalcMethods{FreightCalcMethodList: []FreightCalcMethod{
			{IsDefault: true, FirstValAmount: 2, FirstPrice: 1200, SecondValAmount: 1, SecondPrice: 400}}}}
	for kg, want := range map[int]int64{0: 1200, 1: 1200, 2: 1200, 3: 1600, 7: 3200} { // 12 for 2 kg, 4 a kg more
		if got, ok := ft.FreightFee(kg, 0, "江苏省", "南京市", "鼓楼区"); got != want || !ok {
			t.Errorf("%d kg = %d, %v; want %d", kg, got, ok, want)
		}
	}
}

func TestFreightFeeConditionFree(t *testing.T) {
	ft := countyTemplate()
	ft.ShippingMethod = ShippingConditionFree
	ft.AllConditionFreeDetail = &FreightConditionFrees{ConditionFreeDetailList: []FreightConditionFree{
		{AddressInfos: []FreightAddress{{ProvinceName: "广东省", CityName: "深圳市"}}, MinPiece: 3, ValuationFlag: 1},
		{AddressInfos: []FreightAddress{{ProvinceName: "浙江省"}}, MinAmount: 19900, AmountFlag: 1},
	}}
	for _, tc := range []struct {
		qty            int
		amount         int64
		province, city string
		want           int64
	}{
		{2, 0, "广东省", "深圳市", 500},      // under 3 pieces: the city rule
		{3, 0, "广东省", "深圳市", 0},        // from 3 pieces: free
		{3, 0, "广东省", "广州市", 1000},     // the condition is 深圳's only: province rule 6 + 2 × 2
		{1, 19899, "浙江省", "杭州市", 1000}, // 1 分 short of 199 元
		{1, 19900, "浙江省", "杭州市", 0},    // from 199 元: free
	} {
		if got, ok := ft.FreightFee(tc.qty, tc.amount, tc.province, tc.city, ""); got != tc.want || !ok {
			t.Errorf("%d pieces, %d fen to %s%s = %d, %v; want %d", tc.qty, tc.amount, tc.province, tc.city, got, ok, tc.want)
		}
	}
	ft.ValuationType = ValuationWeight
	ft.AllConditionFreeDetail.ConditionFreeDetailList[0] = FreightConditionFree{
		AddressInfos: []FreightAddress{{ProvinceName: "广东省"}}, MinWeight: 5, ValuationFlag: 1}
	if got, _ := ft.FreightFee(4, 0, "广东省", "佛山市", ""); got != 1200 { // province rule by kg: 6 + 3 × 2
		t.Errorf("4 kg = %d, want 1200", got)
	}
	if got, _ := ft.FreightFee(5, 0, "广东省", "佛山市", ""); got != 0 {
		t.Errorf("5 kg = %d, want free", got)
	}
}

// basics/addresscode/get one level down: a city's code answers the city and its counties (level 3).
func TestRegionsOfACity(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		assertSameJSON(t, "addresscode body", body, []byte(`{"addr_code":440300}`))
		io.WriteString(w, `{"errcode":0,"errmsg":"ok","addrs_msg":{"name":"深圳市","code":440300,"level":2},"next_level_addrs":[{"name":"罗湖区","code":440303,"level":3},{"name":"南山区","code":"440305","level":3}]}`)
	})
	rc, err := c.Regions(context.Background(), 440300)
	if err != nil || rc.AddrsMsg != (Region{"深圳市", 440300, 2}) || len(rc.NextLevelAddrs) != 2 || rc.NextLevelAddrs[1] != (Region{"南山区", 440305, 3}) {
		t.Fatalf("counties = %+v, %v", rc, err)
	}
}
