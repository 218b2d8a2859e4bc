"""Japanese names, places and phone numbers for companies and customers (fictional)."""

from __future__ import annotations

import random
from dataclasses import dataclass

SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林",
            "加藤", "吉田", "山田", "佐々木", "松本", "井上", "木村", "林", "清水",
            "山口", "森")  # fmt: skip
GIVEN_NAMES = ("太郎", "一郎", "健", "誠", "大輔", "翔", "花子", "美咲", "陽子", "恵",
               "直樹", "拓也", "由美", "真理", "浩", "剛", "優子", "彩", "修",
               "茂")  # fmt: skip
NAME_STEMS = ("あさひ", "みどり", "さくら", "ひかり", "やまと", "はなまる", "こだま", "つばさ",
              "あおい", "ふじ", "なごみ", "いろは", "ことぶき", "まるまん", "しろがね", "わかば",
              "たちばな", "すみれ", "ほくと", "みのり")  # fmt: skip


@dataclass(frozen=True)
class Region:
    """A region served by one warehouse: its area code, postal prefix and towns."""

    warehouse_index: int  # 0 Tokyo, 1 Osaka, 2 Fukuoka
    phone_prefix: str
    postal_prefix: str
    towns: tuple[str, ...]


REGIONS = (
    Region(0, "03", "1", ("東京都江東区", "東京都大田区", "東京都世田谷区", "東京都練馬区",
                          "神奈川県横浜市港北区", "埼玉県さいたま市大宮区", "千葉県船橋市")),
    Region(1, "06", "5", ("大阪府大阪市北区", "大阪府大阪市住之江区", "大阪府堺市堺区",
                          "兵庫県神戸市中央区", "京都府京都市下京区", "奈良県奈良市")),
    Region(2, "092", "8", ("福岡県福岡市博多区", "福岡県福岡市東区", "福岡県北九州市小倉北区",
                           "佐賀県佐賀市", "熊本県熊本市中央区")),
)  # fmt: skip
REGION_WEIGHTS = (0.5, 0.3, 0.2)  # customers follow the stock split: Tokyo, Osaka, Fukuoka


def person(rng: random.Random) -> str:
    """Return a full name."""
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}"


def address(rng: random.Random, region: Region) -> str:
    """Return a street address in ``region``."""
    block = f"{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    return f"{rng.choice(region.towns)}{rng.choice(('本町', '中央', '港町', '栄町', '緑'))}{block}"


def postal_code(rng: random.Random, region: Region) -> str:
    """Return a postal code of the form 123-4567."""
    return f"{region.postal_prefix}{rng.randint(0, 99):02d}-{rng.randint(0, 9999):04d}"


def phone(rng: random.Random, region: Region) -> str:
    """Return a landline number in the region's area code."""
    digits = 10 - len(region.phone_prefix)
    local = f"{rng.randint(0, 10**digits - 1):0{digits}d}"
    return f"{region.phone_prefix}-{local[: digits // 2]}-{local[digits // 2 :]}"


def region_for(rng: random.Random) -> Region:
    """Draw a region with the business's 50/30/20 weighting."""
    return rng.choices(REGIONS, weights=REGION_WEIGHTS)[0]
