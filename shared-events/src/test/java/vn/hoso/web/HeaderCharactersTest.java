package vn.hoso.web;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop decides exactly as Spring Security's regular expressions do, on every character that matters. */
class HeaderCharactersTest {

    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void agreesWithSpringsExpressionsOnEveryBmpCharacterAndOnSamples() {
        List<String> samples = new ArrayList<>(List.of("", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "a\tb", "a\nb",
                "a\rb", "\u0000", "\u007f", "\u0085", "Nguyễn Văn Dũng", "\u0378", "😀 x", "\ud83d", "x\ude00y",
                "\u2028", "\ufeff", "\ufffe"));
        for (int c = 0; c <= 0xffff; c++) {
            samples.add(String.valueOf((char) c));
        }
        Random random = new Random(26);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(12); j > 0; j--) {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x30000) : 0x20 + random.nextInt(0x60));
            }
            samples.add(text.toString());
        }
        for (String sample : samples) {
            assertThat(HeaderCharacters.NAMES.test(sample)).as("name %s", sample.codePoints().boxed().toList())
                    .isEqualTo(NAMES.matcher(sample).matches());
            assertThat(HeaderCharacters.VALUES.test(sample)).as("value %s", sample.codePoints().boxed().toList())
                    .isEqualTo(VALUES.matcher(sample).matches());
        }
    }
}
