{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "/WRqMs5RGXIg8/A6Waolyub2TFK0dSzsFp\u002BhXSwVQRoeO3eL8E1wZ/3HDbuZ83dRBXvlPBSRQ6jnzT5D4MLh5w=="
}