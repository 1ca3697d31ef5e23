package vn.hoso.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access tokens of a run, fetched before it by {@code tokens.sh}: a CSV {@code account,role,token} with one row
 * per load-test citizen (role {@code citizen}) and one for each of the roles {@code officer}, {@code agency},
 * {@code payment}, {@code inspector} and {@code analyst}. A citizen's ID (its applicant ID when it submits) is read
 * from its token's {@code citizen_id} claim.
 */
record Tokens(List<Map<String, Object>> citizens, Map<String, String> byRole) {

    private static final Pattern CITIZEN_ID = Pattern.compile("\"citizen_id\"\\s*:\\s*\"(\\d{12})\"");
    private static final List<String> DEFAULT_FILES =
            List.of("deploy/load-test/target/tokens.csv", "target/tokens.csv");

    static Tokens read(String file) {
        Path path = file != null ? Path.of(file) : DEFAULT_FILES.stream().map(Path::of).filter(Files::isReadable)
                .findFirst().orElseThrow(() -> new IllegalStateException(
                        "no tokens: run deploy/load-test/tokens.sh first, or name its CSV with -Dtokens=..."));
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokens " + path.toAbsolutePath(), e);
        }
        List<Map<String, Object>> citizens = new ArrayList<>();
        Map<String, String> byRole = new HashMap<>();
        for (String line : lines) {
            String[] fields = line.strip().split(",", 3);
            if (fields.length < 3 || fields[0].equals("account")) {
                continue;
            }
            if (fields[1].equals("citizen")) {
                citizens.add(Map.of("citizen", fields[0], "citizenToken", fields[2],
                        "citizenId", citizenId(fields[0], fields[2])));
            } else {
                byRole.put(fields[1], fields[2]);
            }
        }
        if (citizens.isEmpty()) {
            throw new IllegalStateException("no citizen in the tokens " + path.toAbsolutePath());
        }
        Tokens tokens = new Tokens(List.copyOf(citizens), Map.copyOf(byRole));
        for (String role : List.of("officer", "agency", "payment", "inspector", "analyst")) {
            tokens.of(role);
        }
        return tokens;
    }

    String officer() {
        return of("officer");
    }

    String agency() {
        return of("agency");
    }

    String payment() {
        return of("payment");
    }

    String inspector() {
        return of("inspector");
    }

    String analyst() {
        return of("analyst");
    }

    private String of(String role) {
        String token = byRole.get(role);
        if (token == null) {
            throw new IllegalStateException("no token for the role " + role + " in the tokens (tokens.sh writes one)");
        }
        return token;
    }

    private static String citizenId(String account, String token) {
        String[] parts = token.split("\\.");
        if (parts.length == 3) {
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher id = CITIZEN_ID.matcher(claims);
            if (id.find()) {
                return id.group(1);
            }
        }
        throw new IllegalStateException("the token of " + account + " has no citizen_id: not a citizen's");
    }
}
