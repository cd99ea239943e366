package wx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Answers decoded leniently. WeChat's answers do not always have the shapes their documents give (one object
// where the document has an array, a number where it has a string, a field the structs did not expect), and
// one such field must not cost the caller a whole order. decodeLenient first decodes as encoding/json does;
// only when that fails does it go down the value field by field, keeping every field that decodes, reading an
// object where a list was expected as a list of one, and leaving a field that does not fit at its zero value
// with a FieldWarning that names its path. The answer's bytes are kept by the callers, so nothing is lost.

// FieldWarning is one field of an answer that did not have the expected shape: Path is where it is in the
// answer ("order.order_detail.delivery_info.delivery_product_info"), Err why it did not decode.
type FieldWarning struct {
	Path string
	Err  error
}

func (w FieldWarning) String() string { return w.Path + ": " + w.Err.Error() }

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// decodeLenient decodes data into v (a non-nil pointer) and returns the fields that had to be left out, each
// under path. It fails only when data is not JSON at all, or is not the kind of value v is (an object for a
// struct, say); then v is left as the zero value and the one warning says so.
func decodeLenient(data []byte, v any, path string) []FieldWarning {
	if err := json.Unmarshal(data, v); err == nil {
		return nil
	}
	rv := reflect.ValueOf(v).Elem()
	rv.SetZero()
	var warnings []FieldWarning
	lenientValue(bytes.TrimSpace(data), rv, path, &warnings)
	return warnings
}

func lenientValue(data []byte, v reflect.Value, path string, warnings *[]FieldWarning) {
	fresh := reflect.New(v.Type())
	err := json.Unmarshal(data, fresh.Interface())
	if err == nil {
		v.Set(fresh.Elem())
		return
	}
	// A type with its own UnmarshalJSON is taken as a whole, unless it is a list (OrderParcels, which only
	// adds the one-object form): its items can still be read one by one.
	if len(data) == 0 || (reflect.PointerTo(v.Type()).Implements(unmarshalerType) && v.Kind() != reflect.Slice) {
		*warnings = append(*warnings, FieldWarning{path, err})
		return
	}
	switch kind := v.Kind(); {
	case kind == reflect.Pointer && string(data) != "null":
		elem := reflect.New(v.Type().Elem())
		lenientValue(data, elem.Elem(), path, warnings)
		v.Set(elem)
		return
	case kind == reflect.Struct && data[0] == '{':
		var fields map[string]json.RawMessage
		if json.Unmarshal(data, &fields) == nil {
			lenientStruct(fields, v, path, warnings)
			return
		}
	case kind == reflect.Slice && data[0] == '[':
		var elems []json.RawMessage
		if json.Unmarshal(data, &elems) == nil {
			list := reflect.MakeSlice(v.Type(), len(elems), len(elems))
			for i, e := range elems {
				lenientValue(bytes.TrimSpace(e), list.Index(i), fmt.Sprintf("%s[%d]", path, i), warnings)
			}
			v.Set(list)
			return
		}
	case kind == reflect.Slice && data[0] == '{':
		// One object where the document has a list: WeChat answers single parcels so.
		list := reflect.MakeSlice(v.Type(), 1, 1)
		lenientValue(data, list.Index(0), path, warnings)
		v.Set(list)
		*warnings = append(*warnings, FieldWarning{path, fmt.Errorf("an object where a list was expected, read as a list of one")})
		return
	}
	*warnings = append(*warnings, FieldWarning{path, err})
}

// lenientStruct fills the fields of the struct v from fields, matching keys as encoding/json does: the tag's
// name, or the field's, exactly or else ignoring case.
func lenientStruct(fields map[string]json.RawMessage, v reflect.Value, path string, warnings *[]FieldWarning) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			tagName, _, _ := strings.Cut(tag, ",")
			if tagName == "-" {
				continue
			}
			if tagName != "" {
				name = tagName
			}
		}
		raw, found := fields[name]
		if !found {
			for k, r := range fields {
				if strings.EqualFold(k, name) {
					raw, found = r, true
					break
				}
			}
		}
		if !found {
			continue
		}
		lenientValue(bytes.TrimSpace(raw), v.Field(i), path+"."+name, warnings)
	}
}

// DecodeOrder decodes an order object as the order calls do (leniently, see above); the caller keeps raw.
func DecodeOrder(raw []byte, v any) []FieldWarning { return decodeLenient(raw, v, "order") }
