package org.remaptarget.target.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class TextCodecTest {
    private final TextCodec codec = TextCodec.standard();

    private static byte[] text(String s) {
        return s.replace('|', '\0').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesPairsInOrder() {
        TextParseResult r = codec.parse(text("InitiatorName=iqn.x|SessionType=Normal|"));
        List<KeyValue> pairs = assertInstanceOf(TextParseResult.Parsed.class, r).pairs();
        assertEquals(List.of(new KeyValue("InitiatorName", "iqn.x"), new KeyValue("SessionType", "Normal")), pairs);
    }

    @Test
    void valueMayContainEqualsSigns() {
        List<KeyValue> pairs = ((TextParseResult.Parsed) codec.parse(text("X-a=b=c|"))).pairs();
        assertEquals("b=c", pairs.get(0).value());
    }

    @Test
    void itemWithoutEqualsSignIsMalformed() {
        assertInstanceOf(TextParseResult.Malformed.class, codec.parse(text("NoValue|")));
    }

    @Test
    void keyLongerThan63CharactersIsMalformed() {
        assertInstanceOf(TextParseResult.Malformed.class, codec.parse(text("K".repeat(64) + "=1|")));
    }

    @Test
    void valueLongerThan255CharactersIsMalformed() {
        assertInstanceOf(TextParseResult.Malformed.class, codec.parse(text("TargetAlias=" + "a".repeat(256) + "|")));
    }

    @Test
    void chapValuesMayBeLong() {
        assertInstanceOf(TextParseResult.Parsed.class, codec.parse(text("CHAP_C=0x" + "ab".repeat(1000) + "|")));
    }

    @Test
    void textBeyondTheTotalLimitIsMalformed() {
        assertInstanceOf(TextParseResult.Malformed.class, new TextCodec(255, 16).parse(text("InitiatorName=iqn.abc|")));
    }

    @Test
    void encodeTerminatesEveryPairWithNul() {
        assertArrayEquals(text("A=1|B=2|"), TextCodec.encode(List.of(new KeyValue("A", "1"), new KeyValue("B", "2"))));
    }
}
