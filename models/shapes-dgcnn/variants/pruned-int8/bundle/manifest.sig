{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "vi4S9hey6aE\u002Bk6/uGmNNCN40ABFOgCY0ZCl2\u002BDX\u002Bdk2ogp5zrj8BZOk00UAcnYnQW5uZXidV7y4jyJASNrEoIA=="
}