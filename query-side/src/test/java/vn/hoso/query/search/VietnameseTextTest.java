package vn.hoso.query.search;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class VietnameseTextTest {

    @ParameterizedTest
    @CsvSource({
            "Nguyễn Văn Dũng, nguyen van dung",
            "Đặng Quốc Bảo, dang quoc bao",
            "đường Lê Lợi, duong le loi",
            "Trần Thị Hoà, tran thi hoa",
            "Phạm Thị Ngọc Ánh, pham thi ngoc anh",
            "ĐỖ HỮU ƯỚC, do huu uoc",
            "nguyen van dung, nguyen van dung"})
    void foldsDiacriticsAndDStrokeAndCase(String text, String folded) {
        assertThat(VietnameseText.fold(text)).isEqualTo(folded);
    }

    @ParameterizedTest
    @CsvSource({"Nguyễn Văn Dũng, Nguyễn Văn Dung", "Hoà, Hòa"})
    void composedAndDecomposedFormsFoldAlike(String a, String b) {
        assertThat(VietnameseText.fold(a)).isEqualTo(VietnameseText.fold(b));
    }
}
