package shop

import (
	"context"
	"errors"
	"slices"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Every object WeChat holds that the app mirrors (a postage template, a group, a shelf, a product) is created,
// updated and deleted by one flow: the WeChat call; after a failure that may have been a lost answer, WeChat's
// list is read to settle it (what the create made, or whether the object is gone); the audit entry; the mirror's
// row, written with what WeChat accepted.

// Kind is one kind of mirrored object, with K its id.
type Kind[T any, K comparable] struct {
	Name     string                             // the audit's object type, and its actions' prefix
	ID       func(T) K                          // the id of one listed object
	List     func(context.Context) ([]T, error) // everything WeChat holds of the kind
	Mirrored func(context.Context, K) error     // db.ErrNoRecord when the mirror does not hold it
	Delete   func(context.Context, K) error     // deletes it in WeChat
	Forget   func(context.Context, K) error     // deletes it from the mirror
}

// Save is one create (ID zero) or update of an object of a kind.
type Save[T any, K comparable] struct {
	ID     K
	Detail string                                // what the audit entry says of it (its name)
	Create func(context.Context) (K, error)      // makes it in WeChat
	Update func(context.Context, K) error        // changes it in WeChat
	Like   func(T) bool                          // what a create whose answer was lost would have made
	Mirror func(ctx context.Context, id K) error // writes the mirror's row
}

// save runs w: it answers the object's id, WeChat's refusal as it is, or a *StoreError when the mirror could
// not be written after WeChat accepted.
func save[T any, K comparable](ctx context.Context, s *Shop, j Journal, k Kind[T, K], w Save[T, K]) (K, error) {
	var zero K
	id, err := w.ID, error(nil)
	action := k.Name + ".update"
	if id == zero {
		action = k.Name + ".create"
		id, err = w.Create(ctx)
		if err != nil && wx.Temporary(err) {
			if found, ok := findCreated(ctx, k, w.Like); ok {
				s.log.Warn("the create call failed, but WeChat has the object", "kind", k.Name, "id", k.ID(found), "err", err)
				id, err = k.ID(found), nil
			}
		}
		if err != nil {
			id = zero
		}
	} else {
		err = w.Update(ctx, id)
	}
	j(db.AuditEntry{Action: action, ObjectType: k.Name, ObjectID: idString(id), Detail: w.Detail, Outcome: Outcome(err)})
	if err != nil {
		return id, err
	}
	return id, storeErr(w.Mirror(ctx, id))
}

// findCreated looks, after a create call whose outcome is unknown (no answer, or -1 after the work was
// done), for what that call made: an object WeChat lists that is like the one sent and that the mirror does
// not hold. Sending the form again would otherwise make a second one.
func findCreated[T any, K comparable](ctx context.Context, k Kind[T, K], like func(T) bool) (T, bool) {
	var zero T
	if ctx.Err() != nil {
		return zero, false
	}
	all, err := k.List(ctx)
	if err != nil {
		return zero, false
	}
	for _, o := range all {
		if like(o) && errors.Is(k.Mirrored(ctx, k.ID(o)), db.ErrNoRecord) {
			return o, true
		}
	}
	return zero, false
}

// remove deletes the object id (named name) in WeChat, then in the mirror, and audits it. A call that fails
// while WeChat no longer lists the object (its answer was lost, or an earlier try went through) counts as done:
// the operator wanted it gone.
func remove[T any, K comparable](ctx context.Context, s *Shop, j Journal, k Kind[T, K], id K, name string) error {
	err := k.Delete(ctx, id)
	if err != nil && ctx.Err() == nil {
		if all, lerr := k.List(ctx); lerr == nil && !slices.ContainsFunc(all, func(o T) bool { return k.ID(o) == id }) {
			s.log.Warn("the delete call failed, but WeChat no longer has the object", "kind", k.Name, "id", id, "err", err)
			err = nil
		}
	}
	j(db.AuditEntry{Action: k.Name + ".delete", ObjectType: k.Name, ObjectID: idString(id), Detail: name, Outcome: Outcome(err)})
	if err != nil {
		return err
	}
	return storeErr(k.Forget(ctx, id))
}
