package vn.hoso.query.log;

import vn.hoso.web.RequiredSettings;

/** The sealed log's required setting, which the query side's settings check names when it is missing. */
public final class LogSettings {

    private LogSettings() {
    }

    public static final RequiredSettings.Setting SIGNING_KEY = new RequiredSettings.Setting("hoso.log.signing-key",
            "HOSO_LOG_SIGNING_KEY", "the Ed25519 key (a note signer key, PRIVATE+KEY+<origin>+...) that signs the"
            + " sealed log's checkpoints, the same on every instance; never stored in MongoDB",
            "hoso.log.signing-key-file");
}
