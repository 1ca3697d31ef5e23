package vn.hoso.query.search;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Folds Vietnamese text for diacritic-insensitive search, in the application because the Elasticsearch build used
 * here has no {@code asciifolding}: decompose (NFD), drop the combining marks, map đ/Đ (a letter of its own, not a
 * d with a mark) to d, lower-case. "Nguyễn Văn Dũng" and "nguyen van dung" fold to the same text; so does "Đặng".
 */
public final class VietnameseText {

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

    private VietnameseText() {
    }

    public static String fold(String text) {
        if (text == null) {
            return null;
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        String withoutMarks = COMBINING_MARKS.matcher(decomposed).replaceAll("");
        return withoutMarks.replace('đ', 'd').replace('Đ', 'D').toLowerCase(Locale.ROOT);
    }
}
