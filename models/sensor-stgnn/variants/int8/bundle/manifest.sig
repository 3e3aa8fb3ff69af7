{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "nTF7/oPmeBbi/Nc\u002BToKWjJsJjMsoSvQUuLUIYFdfr1iy6oi8AN1GO\u002BjUCxmHPplJpGROBLyq09PMSV3RfJjLtQ=="
}