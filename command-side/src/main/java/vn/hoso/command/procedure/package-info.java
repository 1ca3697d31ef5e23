/**
 * The procedure catalogue: the dossier procedures the portal offers, each with its rule versions (statutory time,
 * fees, effective date), loaded from {@code procedures/catalogue.json}. A dossier is pinned to the version in force
 * when it is received.
 */
package vn.hoso.command.procedure;
