/**
 * Account state that changes by fills, deposits and settlements ({@link io.upm.margin.account.AccountState}),
 * held apart from the products as universe indices in primitive arrays, for the single-writer engine.
 */
package io.upm.margin.account;
