package app

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
)

// Image checks and thumbnails. Only what WeChat accepts for products passes: JPEG, PNG and GIF, recognised by
// their content (never by their name), and decodable as what they claim to be.

var errNotAnImage = errors.New("not a JPEG, PNG or GIF image")

// sniffImage returns the file's real content type, or errNotAnImage.
func sniffImage(data []byte) (string, error) {
	ct := http.DetectContentType(data)
	switch ct {
	case "image/jpeg", "image/png", "image/gif":
	default:
		return "", errNotAnImage
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || "image/"+format != ct {
		return "", errNotAnImage
	}
	// A few bytes can claim a huge picture; decoding it for the thumbnail would take gigabytes. What decoding
	// holds is the pixels times the bytes each takes in the colour model the header announces: 16-bit RGBA
	// takes eight times what 8-bit grey does.
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxImageSide || cfg.Height > maxImageSide || cfg.Width*cfg.Height > maxImagePixels ||
		int64(cfg.Width)*int64(cfg.Height)*int64(bytesPerPixel(cfg.ColorModel)) > maxDecodeBytes {
		return "", errNotAnImage
	}
	return ct, nil
}

// bytesPerPixel is what one pixel takes once decoded in model (the most, for models that vary).
func bytesPerPixel(model color.Model) int {
	switch model {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel: // 4:4:4 at worst
		return 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	}
	if _, ok := model.(color.Palette); ok {
		return 1
	}
	return 8 // RGBA64, NRGBA64 and anything unknown
}

// decodeSlots bounds how many images are decoded at once, whoever asks: each may hold up to maxDecodeBytes.
var decodeSlots = make(chan struct{}, 2)

const thumbSize = 240

// The largest picture accepted: far beyond any product photo, far below what would exhaust memory.
const (
	maxImageSide   = 10000
	maxImagePixels = 40_000_000
	maxDecodeBytes = 128 << 20
)

// thumbnail decodes an image and returns a JPEG no larger than thumbSize on either side, and the original's size.
func thumbnail(data []byte, contentType string) (thumb []byte, width, height int, err error) {
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	var src image.Image
	switch contentType {
	case "image/jpeg":
		src, err = jpeg.Decode(bytes.NewReader(data))
	case "image/png":
		src, err = png.Decode(bytes.NewReader(data))
	case "image/gif":
		src, err = gif.Decode(bytes.NewReader(data))
	default:
		err = errNotAnImage
	}
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: %v", errNotAnImage, err)
	}
	b := src.Bounds()
	width, height = b.Dx(), b.Dy()
	if width == 0 || height == 0 {
		return nil, 0, 0, errNotAnImage
	}
	tw, th := width, height
	if tw > thumbSize || th > thumbSize {
		if tw >= th {
			tw, th = thumbSize, max(1, height*thumbSize/width)
		} else {
			tw, th = max(1, width*thumbSize/height), thumbSize
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	// Box filter: each thumbnail pixel is the average of the source pixels it covers, on white (for transparency).
	for y := range th {
		sy0, sy1 := b.Min.Y+y*height/th, b.Min.Y+max((y+1)*height/th, y*height/th+1)
		for x := range tw {
			sx0, sx1 := b.Min.X+x*width/tw, b.Min.X+max((x+1)*width/tw, x*width/tw+1)
			var r, g, bl, n uint64
			for sy := sy0; sy < sy1; sy++ {
				for sx := sx0; sx < sx1; sx++ {
					c := color.NRGBAModel.Convert(src.At(sx, sy)).(color.NRGBA)
					a := uint64(c.A)
					r += (uint64(c.R)*a + 255*(255-a)) / 255
					g += (uint64(c.G)*a + 255*(255-a)) / 255
					bl += (uint64(c.B)*a + 255*(255-a)) / 255
					n++
				}
			}
			dst.SetRGBA(x, y, color.RGBA{uint8(r / n), uint8(g / n), uint8(bl / n), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, 0, 0, err
	}
	return buf.Bytes(), width, height, nil
}
