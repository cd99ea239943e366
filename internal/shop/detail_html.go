package shop

import (
	"io"
	"strings"

	"golang.org/x/net/html"

	"wxshop/internal/wx"
)

// detailBlocks turns the detail_html that WeChat's product answers carry back into the text and image blocks
// the product was made of: each paragraph (or line) of text a block, each image a block, in order.
func detailBlocks(s string) []wx.ProductDetail {
	var blocks []wx.ProductDetail
	var text strings.Builder
	flush := func() {
		for _, line := range strings.Split(text.String(), "\n") {
			if line = strings.Join(strings.Fields(line), " "); line != "" {
				blocks = append(blocks, wx.ProductDetail{Text: line})
			}
		}
		text.Reset()
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				flush()
			}
			return blocks
		case html.TextToken:
			text.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "img":
				flush()
				for hasAttr {
					var key, val []byte
					key, val, hasAttr = z.TagAttr()
					if string(key) == "src" && len(val) > 0 {
						blocks = append(blocks, wx.ProductDetail{Img: string(val)})
					}
				}
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "section":
				text.WriteByte('\n')
			}
		}
	}
}
