package shop

import (
	"reflect"
	"testing"

	"wxshop/internal/wx"
)

func TestDetailBlocks(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []wx.ProductDetail
	}{
		{"", nil},
		// The manual's merchant/get answer: text lines, no tags.
		{"\ntest\n\ntest again\n", []wx.ProductDetail{{Text: "test"}, {Text: "test again"}}},
		{`<p>纯棉 &amp; 透气</p><img src="http://img/1.jpg"/><p>第二段</p>`,
			[]wx.ProductDetail{{Text: "纯棉 & 透气"}, {Img: "http://img/1.jpg"}, {Text: "第二段"}}},
		{`<div>a<br>b</div><img alt="x"><img src="http://img/2.png">`,
			[]wx.ProductDetail{{Text: "a"}, {Text: "b"}, {Img: "http://img/2.png"}}},
		{`<p>unclosed <b>bold</b> text`, []wx.ProductDetail{{Text: "unclosed bold text"}}},
	} {
		if got := detailBlocks(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("detailBlocks(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}
