// Package shop is the operator's actions: what a person does to the shop, written once, whatever asks for it (a
// form, the bulk-shipping worker pool, a WeChat push, the first sync at start).
//
// It ships an order and a file of orders, closes an order, syncs the orders of every source and the mirror of
// products, postage templates, groups and shelves, saves and deletes a mirrored object (one flow: the WeChat
// call, the search for what a lost answer made, the audit entry, the mirror's row), and keeps the category
// cache. Every action that changes something writes its audit entry through the Journal it is given, and a call
// whose answer was lost is settled by reading WeChat back, so nothing is done twice.
//
// It sits between internal/app (routes, middleware, forms, rendering) and internal/wx + internal/db. It may
// import internal/wx, internal/db, internal/i18n (messages stored with a file's rows are in its operator's
// language) and internal/money; never gin, net/http handlers or web/templates: what it answers is data, and the
// app renders it.
package shop
