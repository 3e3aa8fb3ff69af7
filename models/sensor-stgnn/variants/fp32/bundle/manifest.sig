{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "sNfCJtwQN7b8kX5bkTROQqzz\u002Bap5JVRQ\u002BFFiGzMXAlsNYMcPUHlZvhwyRmMUloSM2V/Onld1Fnhim2P4GZX7eg=="
}