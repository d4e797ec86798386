"""Plain helpers of public tracking and complaints: code reading, text cleaning, fee notice, masking, rate
window. No database."""

import pytest

from rencana.permits import services_public as sp


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("HKM-7F3K-9Q2M", "HKM7F3K9Q2M"),
        ("hkm 7f3k 9q2m", "HKM7F3K9Q2M"),
        ("  hkm–7f3k_9q2m. ", "HKM7F3K9Q2M"),
        # Full-width characters, as some phone keyboards type them.
        ("".join(chr(ord(c) + 0xFEE0) for c in "HKM7F3K9Q2M"), "HKM7F3K9Q2M"),
        ("<script>alert(1)</script>", "SCRIPTALERT1SCRIPT"),
        ("", ""),
        ("x" * 41, ""),
        ("../../etc/passwd", "ETCPASSWD"),
    ],
)
def test_normalize_code(typed: str, expected: str) -> None:
    assert sp.normalize_code(typed) == expected


@pytest.mark.parametrize(
    ("bare", "dashed"),
    [("HKM7F3K9Q2M", "HKM-7F3K-9Q2M"), ("NIB7F3K9Q2M", "NIB-7F3K-9Q2M"), ("ABCD", "ABCD"), ("", "")],
)
def test_dashed_shape(bare: str, dashed: str) -> None:
    assert sp._dashed(bare) == dashed


def test_clean_text_removes_control_and_direction_characters() -> None:
    raw = "Pak\x07 Ali\u202e minta\r\nRp 5 juta\x1b[31m\n\n\n\nuntuk izin\t \u2028selesai"
    assert sp.clean_text(raw, multiline=True) == "Pak Ali minta\nRp 5 juta[31m\n\nuntuk izin\nselesai"
    assert sp.clean_text(raw, multiline=False) == "Pak Ali minta Rp 5 juta[31m untuk izin selesai"
    assert sp.clean_text(None, multiline=False) == ""
    assert sp.clean_text("  \x00 ", multiline=True) == ""


@pytest.mark.parametrize(
    ("biaya", "free", "default"),
    [
        ("", True, True),
        ("gratis", True, True),
        ("Gratis.", True, True),
        ("Layanan ini gratis sesuai PP 5/2021; tidak ada PNBP.", True, False),
        ("Tidak dipungut biaya apa pun untuk penerbitan NIB melalui OSS.", True, False),
        ("Rp 50.000 (PNBP)", False, False),
        ("Layanan ini tidak gratis: Rp 10.000.", False, False),
    ],
)
def test_fee_notice(biaya: str, free: bool, default: bool) -> None:
    gratis, text = sp.fee_notice(biaya)
    assert gratis is free
    assert (text == sp.DEFAULT_BIAYA) is default
    if not default:
        assert text == " ".join(biaya.split())


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("081234567890", "0812*****890"),
        ("+62 812-3456-7890", "+628*******890"),
        ("warga.desa@contoh.id", "w****@contoh.id"),
        ("Budi Santoso", "B*** S***"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_text(value: str, masked: str) -> None:
    assert sp.mask_text(value) == masked


def test_mask_never_returns_the_digits_of_a_phone() -> None:
    assert "34567" not in sp.mask_text("0812 3456 7890")


def test_recent_stamps_keeps_the_last_hour_and_drops_junk() -> None:
    now = 10_000.0
    stamps = [now - 3700, now - 3599, now - 10, now, "x", None, now + 50, True]
    assert sp.recent_stamps(stamps, now) == [now - 3599, now - 10, now]
    assert sp.recent_stamps("not a list", now) == []
    assert sp.recent_stamps(None, now) == []
    assert len(sp.recent_stamps([now - 1] * 7, now)) == 7
