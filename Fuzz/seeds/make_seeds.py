#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz corpus into this folder (Fuzz/seeds/).

    python3 Fuzz/seeds/make_seeds.py

Each seed is a small dump that takes one path of the reader or the parser: the layouts, encodings,
delimiters and line ends of docs/formats.md, censored and missing values, sentinels, flags, and the broken
files of issue 14 (CR-only lines, unclosed quote, BOM in the middle, NUL bytes, long cells, header only…).
The real samples (data/samples/*.csv) and the test fixtures are given to the fuzzer as further seed folders.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

LONG = "point_id,time,parameter,value,unit,flag\n"
ROWS = [
    "LDH-01,2026-10-08 14:00:00,nh3n,0.52,mg/L,N\n",
    "LDH-01,2026-10-08 14:00:00,tp,180,µg/L,N\n",
    "LDH-02,2026-10-08T14:00:00+08:00,do,<0.05,mg/L,\n",
    "LDH-02,2026/10/8 14:00,cond,0.55,mS/cm,T\n",
    "XLH-01,10-08 14:00,codmn,ND,mg/L,D\n",
    "XLH-01,2026-10-08 15:00:00,temp,-999,℃,F\n",
]
WIDE_ZH = "监测点位,监测时间,水温(℃),pH,溶解氧(mg/L),氨氮(mg/L),总磷(mg/L),站点情况\n"
WIDE_ROWS = [
    "李大河源头闸,2026-10-01 00:00:00,20.8,7.33,5.50,0.753,0.192,正常\n",
    "李大河新龙桥,2026-10-01 01:00:00,20.6,--,*,未检出（<0.02）,0.05L,维护\n",
]

SEEDS = {
    "long_lf.csv": (LONG + "".join(ROWS)).encode(),
    "long_crlf.csv": (LONG + "".join(ROWS)).replace("\n", "\r\n").encode(),
    "long_cr_only.csv": (LONG + "".join(ROWS)).replace("\n", "\r").encode(),
    "long_semicolon.csv": (LONG + "".join(ROWS)).replace(",", ";").encode(),
    "long_tab.tsv": (LONG + "".join(ROWS)).replace(",", "\t").encode(),
    "long_duplicate_conflict.csv": (LONG + ROWS[0] + ROWS[0] + ROWS[0].replace("0.52", "0.61")).encode(),
    "long_quoted.csv": (LONG + '"LDH-01","2026-10-08 14:00:00","nh3n","0.52","mg/L","N"\n'
                        + '"LDH-01","2026-10-08\n15:00:00",nh3n,"0""5",mg/L,\n').encode(),
    "long_unterminated_quote.csv": (LONG + ROWS[0] + 'LDH-01,"2026-10-08 15:00:00,nh3n,0.5,mg/L,N\n' + ROWS[1]).encode(),
    "long_infinity.csv": (LONG + "LDH-01,2026-10-08 14:00:00,cond,1.7e308,S/m,N\n"
                          + "LDH-01,2026-10-08 15:00:00,nh3n,1e400,mg/L,N\nLDH-01,2026-10-08 16:00:00,nh3n,nan,mg/L,N\n").encode(),
    "long_header_only.csv": LONG.encode(),
    "long_field_count.csv": (LONG + "LDH-01,2026-10-08 14:00:00,nh3n\n" + ROWS[0].rstrip("\n") + ",,,\n").encode(),
    "long_title_lines.csv": ("水质自动监测数据导出\n导出时间：2026-10-09\n\n" + LONG + ROWS[0]).encode(),
    "long_bom_middle.csv": (LONG + ROWS[0] + "\ufeff" + ROWS[1]).encode(),
    "long_nul.csv": (LONG + ROWS[0]).encode() + b"\x00\x00" + ROWS[1].encode(),
    "long_control.csv": (LONG + ROWS[0]).encode() + b"LDH-01,2026-10-08 16:00:00,nh3n,0.5\x07,mg/L,N\n",
    "long_utf8_bom.csv": b"\xef\xbb\xbf" + (LONG + "".join(ROWS)).encode(),
    "long_utf16le.csv": b"\xff\xfe" + (LONG + "".join(ROWS)).encode("utf-16-le"),
    "long_utf16be.csv": b"\xfe\xff" + (LONG + "".join(ROWS)).encode("utf-16-be"),
    "long_mixed_encoding.csv": (LONG + "".join(ROWS)).encode() + "LDH-01,2026-10-08 18:00:00,氨氮,0.5,毫克/升,正常\n".encode("gb18030"),
    "long_long_cell.csv": (LONG + "LDH-01,2026-10-08 14:00:00,nh3n," + "9" * 3000 + ",mg/L,N\n" + ROWS[1]).encode(),
    "long_names.csv": ("断面名称,采样时间,监测项目,监测值,单位,标识\n李大河源头闸,2026-10-08 14:00,氨氮,0.52,mg/L,N\n"
                       "李大河源头闸,2026-10-08 14:00,高锰酸盐指数,3.1,mg/L,\n").encode(),
    "wide_zh_utf8.csv": (WIDE_ZH + "".join(WIDE_ROWS)).encode(),
    "wide_zh_gb18030.csv": (WIDE_ZH + "".join(WIDE_ROWS)).encode("gb18030"),
    "wide_platform_no_year.csv": ("断面名称,监测时间,水温（℃）,pH（无量纲）,氨氮（mg/L）,总磷（mg/L）\n"
                                  "李大河源头闸,10-03 00:00,20.3,7.30,0.775,0.180\n李大河源头闸,10-03 04:00,20.2,7.21,0.777,--\n").encode(),
    "wide_date_time_columns.csv": ("point_id,date,time,nh3n(mg/L),tp(mg/L)\nLDH-01,2026-10-08,14:00,0.5,0.1\n").encode(),
    "unrecognized_header.csv": ("a,b,c\n1,2,3\n4,5,6\n").encode(),
    "blank_lines.csv": b"\n\n\r\n\n",
    "empty.csv": b"",
}

for name, data in SEEDS.items():
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(data)
print(f"{len(SEEDS)} seeds written to {HERE}")
