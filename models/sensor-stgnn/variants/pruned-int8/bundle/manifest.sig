{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "m3tTbeLx4xF3DkTu2HY30D96eibIELFGHA757bnU32WUaJa1NxFHTD8SaPtRSow9XVuclmSdOgifYigQ2BAqfw=="
}