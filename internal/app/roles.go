package app

// Role is what a user may do.
type Role string

const (
	RoleAdmin    Role = "admin"    // everything, users and settings included
	RoleOperator Role = "operator" // the shop's daily work
	RoleViewer   Role = "viewer"   // read only
)

// ValidRole reports whether s names a role.
func ValidRole(s string) bool {
	switch Role(s) {
	case RoleAdmin, RoleOperator, RoleViewer:
		return true
	}
	return false
}

// canWrite reports whether the role may change the shop.
func canWrite(r Role) bool { return r == RoleAdmin || r == RoleOperator }
