package wx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// This file holds what the 微信小店 (WeChat Store, /channels/ec/*) calls of the catalog share: numbers and
// flags that its documents write in more than one way. See shared/api/store/README.md, "Conventions".

// FlexInt is an integer that an answer may send as a number or as a string of digits ("500000", the deposit
// of category/detail; limited_discount_stock_num in one edition of stock/get). An empty string and null are 0.
// It marshals as a number.
type FlexInt int64

// UnmarshalJSON accepts 12, "12", "" and null.
func (n *FlexInt) UnmarshalJSON(data []byte) error {
	s := string(bytes.TrimSpace(data))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*n = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("wx: %s is not an integer", data)
	}
	*n = FlexInt(v)
	return nil
}

// FlexBool is a flag that answers write as true/false or as 0/1 (is_default of a freight template is
// false in the table and 0 in the detail example; the window's is_set_top is 0/1). It marshals as a bool.
type FlexBool bool

// UnmarshalJSON accepts true, false, 0, 1, "0", "1", "true", "false" and null.
func (b *FlexBool) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(data)), `"`)
	switch s {
	case "null":
		return nil
	case "true", "1":
		*b = true
	case "false", "0", "":
		*b = false
	default:
		return fmt.Errorf("wx: %s is not a flag", data)
	}
	return nil
}

// numericID writes an id as a bare JSON number, for the calls whose documents and peers send one (the
// window and classification calls, availablesoncategories' f_cat_id). The digits go out as they are, so an
// id above 2^53 keeps every one of them.
func numericID(path, field string, id ID) (json.Number, error) {
	if !isUint64(string(id)) {
		return "", fmt.Errorf("wx: %s: %s %q is not a number", path, field, string(id))
	}
	return json.Number(id), nil
}
