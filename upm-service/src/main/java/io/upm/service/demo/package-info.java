/**
 * {@code upm serve --demo}: a synthetic venue driven through a crash replay (real closes when the market-data folder is
 * there, else a synthetic path) so that margin calls and liquidations happen after one command.
 */
package io.upm.service.demo;
