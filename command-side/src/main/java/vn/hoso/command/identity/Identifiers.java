package vn.hoso.command.identity;

import java.time.Year;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of Vietnamese identifiers (DOMAIN.md, identifiers).
 * <ul>
 *     <li>Citizen ID (CCCD): 12 digits: a 3-digit province code, a gender/century digit, a 2-digit birth year and a
 *     6-digit serial; no checksum.</li>
 *     <li>Tax code (MST): 10 digits, the tenth a check digit, optionally followed by {@code -NNN} for a branch.</li>
 * </ul>
 */
public final class Identifiers {

    /** The 63 province codes of the citizen ID (Circular 07/2016/TT-BCA, before the 2025 province mergers). */
    private static final Set<String> PROVINCE_CODES = Set.of(
            "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024",
            "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045",
            "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070",
            "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
            "094", "095", "096");

    private static final Pattern CITIZEN_ID = Pattern.compile("\\d{12}");
    private static final Pattern TAX_CODE = Pattern.compile("(\\d{10})(-\\d{3})?");
    private static final int[] TAX_CODE_WEIGHTS = {31, 29, 23, 19, 17, 13, 7, 5, 3};

    private Identifiers() {
    }

    public static boolean isValidCitizenId(String value, Year currentYear) {
        if (value == null || !CITIZEN_ID.matcher(value).matches()) {
            return false;
        }
        if (!PROVINCE_CODES.contains(value.substring(0, 3))) {
            return false;
        }
        int centuryDigit = value.charAt(3) - '0';
        int century = 1900 + (centuryDigit / 2) * 100; // 0/1: 1900s, 2/3: 2000s, 4/5: 2100s ...
        int birthYear = century + Integer.parseInt(value.substring(4, 6));
        return birthYear <= currentYear.getValue();
    }

    public static boolean isValidTaxCode(String value) {
        if (value == null) {
            return false;
        }
        var matcher = TAX_CODE.matcher(value);
        if (!matcher.matches()) {
            return false;
        }
        String digits = matcher.group(1);
        int sum = 0;
        for (int i = 0; i < TAX_CODE_WEIGHTS.length; i++) {
            sum += TAX_CODE_WEIGHTS[i] * (digits.charAt(i) - '0');
        }
        int check = 10 - sum % 11;
        return check < 10 && check == digits.charAt(9) - '0';
    }
}
