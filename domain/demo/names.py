"""Built-in Chinese name lists for the demo company.

Names come from fixed lists (no Faker) so the demo data is reproducible offline and byte-identical
for a given seed. Surnames are listed roughly by real-world frequency and drawn with decreasing
weights, so 王/李/张 dominate as they would in a real roster.
"""

from __future__ import annotations

import random

SURNAMES: tuple[str, ...] = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
) + ("欧阳", "司马", "诸葛", "上官")

GIVEN_CHARS: tuple[str, ...] = tuple(
    dict.fromkeys(
        "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂文华慧建国红玲丹萍鹏辉宇浩凯婷雪琳晶欣怡"
        "子涵梓轩博思雨佳嘉晨睿泽宁瑶悦琪昊然一诺晓天志海俊峰飞亮波斌鑫宏颖倩璐萌云莉春梅阳帆锋凡"
        "旭彤晴畅璇淑珍昕毅坤铭航楠哲晗钰蕾薇若安可心语逸景皓煜诗媛蓉健康永庆东升青山卫民立新家豪"
    )
)

_SURNAME_WEIGHTS = tuple(1.0 / (rank + 4) for rank in range(len(SURNAMES)))


def make_names(rng: random.Random, count: int) -> list[str]:
    """Draw ``count`` distinct full names (surname + one or two given characters).

    Names are kept unique so that a person can be recognised by name in demo screens.
    """
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
        given_len = 2 if rng.random() < 0.65 else 1
        name = surname + "".join(rng.sample(GIVEN_CHARS, given_len))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
