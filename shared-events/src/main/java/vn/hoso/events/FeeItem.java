package vn.hoso.events;

/** One fee or charge, amount in Vietnamese đồng (no minor unit). */
public record FeeItem(String code, String name, long amount, FeeDue due) {
}
