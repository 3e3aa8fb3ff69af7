{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "KUr1d8IKprJLl9RBMZIOYXt4LpAHu0NchlasXNYejAZQBe/xqxQdc4y99cJF9iWe0GuB88tkyIiKOs0By1I\u002BLg=="
}