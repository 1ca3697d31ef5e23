package vn.hoso.events;

/** A document handed in with a dossier or a supplement, or issued as a result; the file itself lives elsewhere. */
public record DocumentRef(String name, String kind, String contentHash, long sizeBytes) {
}
