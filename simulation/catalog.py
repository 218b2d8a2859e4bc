"""What D商事 sells: product lines by category, sub-category and storage condition.

Each line is a generic item ("絹ごし豆腐") with its unit, price range and typical stock
level; the generator adds a maker, a variant and a pack size to make ~8,000 distinct SKUs.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import Category, StorageCondition

AMBIENT = StorageCondition.AMBIENT
CHILLED = StorageCondition.CHILLED
FROZEN = StorageCondition.FROZEN


@dataclass(frozen=True)
class Line:
    """One generic item of a sub-category, stored under one condition."""

    subcategory: str
    item: str
    unit: str
    price: tuple[int, int]  # reference price range in yen
    sizes: tuple[str, ...]


def _lines(subcategory: str, unit: str, price: tuple[int, int], *items: str) -> list[Line]:
    parsed = []
    for spec in items:
        item, _, sizes = spec.partition(":")
        parsed.append(Line(subcategory, item, unit, price, tuple(sizes.split(",")) or ("",)))
    return parsed


# Food lines by storage condition: the generator draws a food product's condition first
# (常温 60 / 冷蔵 30 / 冷凍 10), then a line stored that way, so names match conditions.
# fmt: off
FOOD_LINES: dict[StorageCondition, list[Line]] = {
    AMBIENT: [
        *_lines("加工食品", "個", (98, 480),
                "カップラーメン 醤油味:77g,95g", "袋麺 味噌味:5食入", "ツナ缶:70g,140g",
                "サバ水煮缶:190g", "レトルトカレー 中辛:200g", "スパゲッティ:500g,1kg",
                "コーンフレーク:220g", "味付け海苔:8切48枚", "無洗米 コシヒカリ:2kg,5kg",
                "パックご飯:200g×3"),
        *_lines("飲料", "本", (88, 260),
                "緑茶:500ml,2L", "烏龍茶:500ml,2L", "ミネラルウォーター:550ml,2L",
                "ブラックコーヒー 缶:185g", "炭酸水:500ml", "スポーツドリンク:500ml",
                "オレンジジュース 紙パック:1L", "麦茶:600ml,2L"),
        *_lines("調味料", "本", (128, 680),
                "濃口醤油:500ml,1L", "本みりん:500ml", "料理酒:900ml", "中濃ソース:500ml",
                "トマトケチャップ:300g,500g", "穀物酢:500ml", "上白糖:1kg", "食塩:500g",
                "顆粒だし:40g", "ごま油:300g"),
        *_lines("菓子", "袋", (98, 398),
                "ポテトチップス うすしお:60g,135g", "ミルクチョコレート:50g", "醤油せんべい:12枚",
                "バタークッキー:20枚", "フルーツグミ:100g", "のど飴:80g", "ビスケット:3枚×10袋"),
        *_lines("生鮮", "kg", (180, 600),
                "玉ねぎ:1kg,3kg", "じゃがいも:1kg,3kg", "にんじん:1kg", "バナナ:1房",
                "さつまいも:1kg"),
    ],
    CHILLED: [
        *_lines("加工食品", "個", (88, 498),
                "絹ごし豆腐:300g", "小粒納豆:40g×3", "ロースハム:4枚入",
                "あらびきウインナー:90g×2", "ベーコン:40g×3", "かまぼこ:100g",
                "生ラーメン 2食:2食入", "ポテトサラダ:200g"),
        *_lines("飲料", "本", (128, 298),
                "成分無調整牛乳:1000ml", "飲むヨーグルト:900g", "豆乳 無調整:1000ml",
                "チルドコーヒー:500ml"),
        *_lines("調味料", "個", (198, 498),
                "合わせ味噌:750g", "有塩バター:200g", "生わさび チューブ:43g",
                "ドレッシング 和風:380ml"),
        *_lines("菓子", "個", (108, 398),
                "カスタードプリン:3個パック", "シュークリーム:1個", "ベイクドチーズケーキ:4個入",
                "わらび餅:200g"),
        *_lines("生鮮", "パック", (158, 1280),
                "キャベツ:1玉", "レタス:1玉", "トマト:4個入", "アトランティックサーモン 切身:2切",
                "まぐろ 刺身:150g", "豚バラ 薄切り:300g", "鶏もも肉:500g,2kg",
                "牛切り落とし:300g", "鶏卵 Mサイズ:10個入"),
    ],
    FROZEN: [
        *_lines("加工食品", "袋", (198, 798),
                "冷凍餃子:12個入,30個入", "冷凍チャーハン:450g", "冷凍うどん:5食入",
                "若鶏のから揚げ:500g,1kg", "冷凍ピザ マルゲリータ:1枚"),
        *_lines("菓子", "個", (98, 598),
                "バニラアイスクリーム:120ml,2L", "抹茶アイス:120ml", "かき氷 いちご:1個"),
        *_lines("生鮮", "袋", (298, 1480),
                "むきえび:200g,1kg", "ブロッコリー:500g", "塩ゆで枝豆:400g", "まぐろ 柵:200g",
                "ミックスベジタブル:1kg"),
        *_lines("飲料", "袋", (158, 298),
                "ロックアイス:1kg", "冷凍みかんジュース:500ml"),
    ],
}

DAILY_LINES: list[Line] = [
    *_lines("洗剤", "本", (198, 798),
            "衣料用液体洗剤:800g,詰替720g", "柔軟剤:540ml", "食器用洗剤:240ml,詰替400ml",
            "お風呂用洗剤:380ml", "塩素系漂白剤:600ml", "トイレ用洗剤:500ml"),
    *_lines("トイレタリー", "個", (98, 898),
            "シャンプー:480ml,詰替400ml", "コンディショナー:480ml", "ボディソープ:500ml",
            "薬用歯みがき:120g", "歯ブラシ ふつう:1本,3本組", "ハンドソープ:250ml",
            "トイレットペーパー:12ロール", "ボックスティッシュ:5箱"),
    *_lines("雑貨", "個", (98, 598),
            "ゴミ袋 45L:10枚,50枚", "食品用ラップ:30cm×50m", "アルミホイル:25cm×8m",
            "紙コップ:205ml×50個", "割り箸:100膳", "アルカリ乾電池 単3:4本",
            "キッチンスポンジ:3個入"),
]
# fmt: on

MAKERS: dict[str, tuple[str, ...]] = {
    "加工食品": ("みなと食品", "さくら食品工業", "北斗フーズ", "大和食品", "あおば食品"),
    "飲料": ("清流飲料", "富士ビバレッジ", "みどり乳業", "太陽ドリンク"),
    "調味料": ("ヤマト醤油", "まるや醸造", "金印食品", "瀬戸内調味料"),
    "菓子": ("こがね製菓", "ひばり製菓", "ミルキー堂", "雪国乳業"),
    "生鮮": ("国産", "北海道産", "九州産", "産地直送"),
    "洗剤": ("ハナ石鹸", "クリーンライフ", "白鳥化学"),
    "トイレタリー": ("ハナ石鹸", "ルミナ化粧品", "やさしさ生活"),
    "雑貨": ("くらし雑貨", "ホームワン", "日本紙工"),
}
VARIANTS = ("", "", "", "徳用", "減塩", "特選", "国産原料", "業務用", "プレミアム", "有機")

SKU_CODES: dict[str, str] = {
    "加工食品": "PF", "飲料": "DR", "調味料": "SE", "菓子": "SW", "生鮮": "FR",
    "洗剤": "DT", "トイレタリー": "TL", "雑貨": "SD",
}  # fmt: skip

CATEGORY_OF_SUBCATEGORY: dict[str, Category] = {
    **{s: Category.FOOD for s in ("加工食品", "飲料", "調味料", "菓子", "生鮮")},
    **{s: Category.DAILY_GOODS for s in ("洗剤", "トイレタリー", "雑貨")},
}

# Share of food among all products (the seed gives none; a food wholesaler: mostly food).
FOOD_SHARE = 0.75
FOOD_STORAGE_SHARES: dict[StorageCondition, float] = {AMBIENT: 0.6, CHILLED: 0.3, FROZEN: 0.1}
