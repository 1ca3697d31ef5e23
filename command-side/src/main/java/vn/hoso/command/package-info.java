/**
 * The command side of HoSo. Packages by feature: {@code dossier} (aggregate, commands, HTTP API), {@code calendar}
 * (working time), {@code procedure} (catalogue), {@code identity} (who calls), {@code store} (event store wiring),
 * {@code web} (problem documents, correlation).
 */
package vn.hoso.command;
